import { defineModule } from "../../platform/modules.js";
import { attachmentsRoutes } from "./attachments.routes.js";
import { attachmentOwnerTables, attachments } from "./attachments.table.js";

/**
 * Files held by objects of other modules (projects, tasks, tickets). A module
 * declares its kind of owner in its manifest (`attachmentOwners`, see
 * platform/storage/owners.ts); the owner's rules decide who reads, adds and
 * deletes, and this module stores, lists, serves and deletes the files.
 */
export const attachmentsModule = defineModule({
  name: "attachments",
  routes: [{ prefix: "/api", plugin: attachmentsRoutes }],
  tables: { attachments, attachmentOwnerTables },
});

// The public surface other modules use.
export { attachmentOut } from "./attachments.routes.js";
export {
  addAttachment,
  countAttachments,
  deleteAttachmentsOf,
  listAttachments,
  type AttachmentView,
  type RunInCtx,
} from "./attachments.service.js";
