import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";

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
    /** The salesperson who brought the client. */
    salespersonId: uuid("salesperson_id").references(() => users.id, { onDelete: "set null" }),
    /** A customer user of the organization who sees this client's projects and their financials. */
    customerUserId: uuid("customer_user_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("clients_org_name_idx").on(table.orgId, table.name),
    index("clients_customer_idx").on(table.customerUserId),
    index("clients_salesperson_idx").on(table.salespersonId),
  ],
);
