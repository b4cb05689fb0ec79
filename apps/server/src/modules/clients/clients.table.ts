import { foreignKey, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { memberships, organizations } from "../access/tenancy.table.js";

/** A client of an organization, owned by a salesperson, optionally linked to a customer account. */
export const clients = pgTable(
  "clients",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    company: text("company").notNull().default(""),
    contactEmail: text("contact_email"),
    phone: text("phone"),
    notes: text("notes").notNull().default(""),
    /** The salesperson who brought the client: a member of its organization. */
    salespersonId: uuid("salesperson_id"),
    /** A customer user of the organization who sees this client's projects and their financials. */
    customerUserId: uuid("customer_user_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    /** What `(org_id, client_id)` references point at: a reference can never leave the organization. */
    unique("clients_org_id_id_key").on(table.orgId, table.id),
    // Tenant-scoped references are composite (ADR 0007). "set null" clears the person's column only:
    // the migration writes `ON DELETE SET NULL ("salesperson_id")`, which drizzle cannot express.
    foreignKey({ columns: [table.orgId, table.salespersonId], foreignColumns: [memberships.orgId, memberships.userId], name: "clients_salesperson_membership_fk" }).onDelete("set null"),
    foreignKey({ columns: [table.orgId, table.customerUserId], foreignColumns: [memberships.orgId, memberships.userId], name: "clients_customer_membership_fk" }).onDelete("set null"),
    index("clients_org_name_idx").on(table.orgId, table.name),
    index("clients_customer_idx").on(table.customerUserId),
    index("clients_salesperson_idx").on(table.salespersonId),
  ],
);
