import { PAYMENT_DECISIONS, PAYMENT_METHODS } from "@cairn/shared";
import { sql } from "drizzle-orm";
import { check, date, foreignKey, index, numeric, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, timestampTz, updatedAt } from "../../db/columns.js";
import { users } from "../accounts/accounts.table.js";
import { organizations } from "../access/tenancy.table.js";
import { projects } from "./projects.table.js";

/** A payment recorded on a project by sales, approved or rejected by a verifier (never the recorder). */
export const payments = pgTable(
  "payments",
  {
    id: id(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** A project of the payment's own organization (composite foreign key below). */
    projectId: uuid("project_id").notNull(),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    method: text("method", { enum: PAYMENT_METHODS }).notNull(),
    reference: text("reference").notNull().default(""),
    paidOn: date("paid_on", { mode: "string" }).notNull(),
    status: text("status", { enum: PAYMENT_DECISIONS }).notNull().default("pending"),
    /** The recorder and the verifier are actors (the superuser may act without a membership): users. */
    recordedById: uuid("recorded_by_id").references(() => users.id, { onDelete: "set null" }),
    verifiedById: uuid("verified_by_id").references(() => users.id, { onDelete: "set null" }),
    verifiedAt: timestampTz("verified_at"),
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    foreignKey({ columns: [table.orgId, table.projectId], foreignColumns: [projects.orgId, projects.id], name: "payments_project_fk" }).onDelete("cascade"),
    index("payments_project_idx").on(table.projectId, table.createdAt),
    index("payments_org_status_idx").on(table.orgId, table.status),
    check("payments_amount_positive", sql`${table.amount} > 0`),
  ],
);
