import { defineModule } from "../../platform/modules.js";
import { clientsRoutes } from "./clients.routes.js";
import { clients } from "./clients.table.js";

/** Clients: who projects are for, with their salesperson and customer user. */
export const clientsModule = defineModule({
  name: "clients",
  routes: [{ prefix: "/api/clients", plugin: clientsRoutes }],
  tables: { clients },
});

// The public surface other modules use.
export { clientPolicy } from "./clients.policy.js";
export { clients } from "./clients.table.js";
export { countClientProjectsWith } from "./clients.references.js";
