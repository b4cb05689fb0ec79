import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const project = { projectId: z.uuid(), key: z.string(), name: z.string() };
const payment = { paymentId: z.uuid(), projectId: z.uuid(), projectKey: z.string(), amount: z.string(), currency: z.string() };

export const projectCreated = defineEvent("project.created", z.object(project), "A project was created.");
export const projectStatusChanged = defineEvent(
  "project.status_changed",
  z.object({ ...project, before: z.string(), after: z.string() }),
  "A project's status changed.",
);
export const paymentSubmitted = defineEvent("payment.submitted", z.object(payment), "A payment was recorded and waits for verification.");
export const paymentVerified = defineEvent("payment.verified", z.object({ ...payment, note: z.string() }), "A payment was approved.");
export const paymentRejected = defineEvent("payment.rejected", z.object({ ...payment, note: z.string() }), "A payment was rejected.");
export const projectManagerAssigned = defineEvent(
  "project.manager_assigned",
  z.object({ ...project, managerId: z.uuid(), previousManagerId: z.uuid().nullable() }),
  "Someone was made the manager of a project.",
);
