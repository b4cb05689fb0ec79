import type { Ctx } from "../context.js";
import { auditLog } from "./audit.table.js";

/** Fields whose values never reach the audit log, whatever the entity. */
const SECRET_FIELDS = new Set(["password", "passwordHash", "token", "tokenHash", "code", "secret"]);

export type AuditEntry = {
  orgId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  changes?: Record<string, [unknown, unknown]>;
};

/** Writes one audit entry in the caller's transaction: it exists exactly when the change does. */
export async function recordAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  await recordAudits(ctx, [entry]);
}

/** Several entries with one statement (bulk changes): one entry per object, as one by one. */
export async function recordAudits(ctx: Ctx, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const actorId = ctx.actor.kind === "user" ? ctx.actor.userId : null;
  await ctx.tx.insert(auditLog).values(
    entries.map((entry) => {
      const changes: Record<string, [unknown, unknown]> = {};
      for (const [field, value] of Object.entries(entry.changes ?? {})) {
        changes[field] = SECRET_FIELDS.has(field) ? ["[redacted]", "[redacted]"] : value;
      }
      return {
        orgId: entry.orgId,
        actorId,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        changes,
        ip: ctx.meta.ip,
        userAgent: ctx.meta.userAgent,
        requestId: ctx.meta.requestId,
      };
    }),
  );
}

/** `{field: [before, after]}` for the fields that differ. */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const previous = before[field];
    if (JSON.stringify(previous) !== JSON.stringify(value)) changes[field] = [previous ?? null, value];
  }
  return changes;
}
