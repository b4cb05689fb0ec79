import { z } from "zod";
import { defineEvent } from "../../platform/events/events.js";

const project = { projectId: z.uuid(), key: z.string(), name: z.string() };
const payment = {
  paymentId: z.uuid(),
  projectId: z.uuid(),
  projectKey: z.string(),
  amount: z.string(),
  currency: z.string(),
};

const aboutProject = {
  link: (data: { projectId: string }) => `/projects/${data.projectId}`,
  data: (data: { projectId: string }) => ({ projectId: data.projectId }),
};
const aboutPayment = {
  link: (data: { projectId: string }) => `/projects/${data.projectId}`,
  data: (data: { projectId: string; paymentId: string }) => ({
    projectId: data.projectId,
    paymentId: data.paymentId,
  }),
  audience: ["projects.view_financials" as const, "payments.add" as const, "payments.verify" as const],
};
const money = (data: { amount: string; currency: string }) => `${data.amount} ${data.currency}`;

/** Recipients: the organization's administrators and verifiers, and the manager named at creation. */
export const projectCreated = defineEvent("project.created", z.object(project), "A project was created.", {
  label: "New projects",
  text: (event, { actor, org }) => ({
    title: `New project ${event.data.key}: ${event.data.name}`,
    body: `${actor} created ${event.data.key} ${event.data.name}${org ? ` in ${org}` : ""}.`,
  }),
  ...aboutProject,
  audience: ["members.manage", "payments.verify", "projects.add"],
});

export const projectStatusChanged = defineEvent(
  "project.status_changed",
  z.object({ ...project, before: z.string(), after: z.string() }),
  "A project's status changed.",
);

/** Recipients: the organization's verifiers (payments.verify). */
export const paymentSubmitted = defineEvent(
  "payment.submitted",
  z.object(payment),
  "A payment was recorded and waits for verification.",
  {
    label: "Payments waiting for verification",
    text: (event, { actor }) => ({
      title: `Payment to verify on ${event.data.projectKey}: ${money(event.data)}`,
      body: `${actor} recorded a payment of ${money(event.data)} on ${event.data.projectKey}.`,
    }),
    ...aboutPayment,
    audience: ["payments.verify"],
  },
);

/** Recipients: who recorded it, the project's owner and manager (those of them who see its money). */
export const paymentVerified = defineEvent(
  "payment.verified",
  z.object({ ...payment, note: z.string() }),
  "A payment was approved.",
  {
    label: "Payments approved",
    email: "immediate",
    text: (event, { actor }) => ({
      title: `Payment approved on ${event.data.projectKey}: ${money(event.data)}`,
      body: `${actor} approved the payment of ${money(event.data)} on ${event.data.projectKey}.${event.data.note ? ` Note: ${event.data.note}` : ""}`,
    }),
    ...aboutPayment,
  },
);

/** Recipients: as for an approval. */
export const paymentRejected = defineEvent(
  "payment.rejected",
  z.object({ ...payment, note: z.string() }),
  "A payment was rejected.",
  {
    label: "Payments rejected",
    email: "immediate",
    text: (event, { actor }) => ({
      title: `Payment rejected on ${event.data.projectKey}: ${money(event.data)}`,
      body: `${actor} rejected the payment of ${money(event.data)} on ${event.data.projectKey}.${event.data.note ? ` Reason: ${event.data.note}` : ""}`,
    }),
    ...aboutPayment,
  },
);

/** Recipients: the new manager. */
export const projectManagerAssigned = defineEvent(
  "project.manager_assigned",
  z.object({ ...project, managerId: z.uuid(), previousManagerId: z.uuid().nullable() }),
  "Someone was made the manager of a project.",
  {
    label: "Projects I am made manager of",
    text: (event) => ({
      title: `You manage ${event.data.name} now`,
      body: `You are the manager of ${event.data.key} ${event.data.name}: you can plan it, change it and manage its people.`,
    }),
    ...aboutProject,
  },
);
