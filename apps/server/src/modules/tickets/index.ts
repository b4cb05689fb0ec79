import { defineModule } from "../../platform/modules.js";
import { slaSchedule } from "./sla.check.js";
import { ticketAttachments, ticketCommentAttachments } from "./tickets.attachments.js";
import { ticketAssigned, ticketAtRisk, ticketCommented, ticketCreated, ticketEscalated, ticketStatusChanged } from "./tickets.events.js";
import { slaRoutes, ticketsRoutes } from "./tickets.routes.js";
import { ticketComments, ticketSequences, tickets, ticketSlaSettings } from "./tickets.table.js";

/** Support tickets with service levels: customers report, support answers, escalation is automatic. */
export const ticketsModule = defineModule({
  name: "tickets",
  routes: [
    { prefix: "/api/tickets", plugin: ticketsRoutes },
    { prefix: "/api/orgs", plugin: slaRoutes },
  ],
  tables: { tickets, ticketSequences, ticketComments, ticketSlaSettings },
  events: [ticketCreated, ticketCommented, ticketStatusChanged, ticketAssigned, ticketAtRisk, ticketEscalated],
  schedules: [slaSchedule],
  attachmentOwners: [ticketAttachments, ticketCommentAttachments],
});

// The public surface other modules use.
export { ticketAssigned, ticketAtRisk, ticketCommented, ticketCreated, ticketEscalated, ticketStatusChanged } from "./tickets.events.js";
export { runSlaCheck, type SlaCheckResult } from "./sla.check.js";
export { ticketComments, tickets } from "./tickets.table.js";
