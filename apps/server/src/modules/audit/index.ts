import { defineModule } from "../../platform/modules.js";
import { auditRoutes } from "./audit.routes.js";

/** Reading the append-only audit log (the platform writes it). */
export const auditModule = defineModule({
  name: "audit",
  routes: [{ prefix: "/api/audit", plugin: auditRoutes }],
});
