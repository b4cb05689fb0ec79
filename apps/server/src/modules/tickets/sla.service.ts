import { DEFAULT_SLA_TARGETS, type SlaSettings, type SlaTargets } from "@cairn/shared";
import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ValidationError } from "../../platform/errors.js";
import { getOrganization } from "../access/index.js";
import { isTimeZone, type Calendar } from "./sla.js";
import { slaPolicy } from "./tickets.policy.js";
import { ticketSlaSettings } from "./tickets.table.js";

/** An organization's service levels as the API shows them (API.md: GET/PUT /api/orgs/{org}/sla). */
export type SlaSettingsView = SlaSettings & { orgId: string; isDefault: boolean };

/** The organization's calendar and targets: its row, or the defaults (UTC, around the clock). */
export async function loadSla(tx: Tx, orgId: string): Promise<{ calendar: Calendar; targets: SlaTargets; isDefault: boolean }> {
  const [row] = await tx.select().from(ticketSlaSettings).where(eq(ticketSlaSettings.orgId, orgId));
  if (!row) return { calendar: { timezone: "UTC", businessHours: null }, targets: DEFAULT_SLA_TARGETS, isDefault: true };
  return { calendar: { timezone: row.timezone, businessHours: row.businessHours ?? null }, targets: row.targets, isDefault: false };
}

export async function getSlaSettings(ctx: Ctx, org: string): Promise<SlaSettingsView> {
  const { id: orgId } = await getOrganization(ctx, org);
  authorize(ctx.actor, slaPolicy, "view", { orgId });
  const { calendar, targets, isDefault } = await loadSla(ctx.tx, orgId);
  return { orgId, timezone: calendar.timezone, businessHours: calendar.businessHours, targets, isDefault };
}

/**
 * Replaces the organization's service levels (tickets.configure). Deadlines of
 * tickets already open stay as they were given; new tickets, a new severity
 * and resumed clocks follow the new settings.
 */
export async function putSlaSettings(ctx: Ctx, org: string, input: SlaSettings): Promise<SlaSettingsView> {
  const { id: orgId } = await getOrganization(ctx, org);
  authorize(ctx.actor, slaPolicy, "configure", { orgId });
  if (!isTimeZone(input.timezone)) throw new ValidationError([{ path: "timezone", message: `${input.timezone} is not a time zone this server knows (use an IANA name such as Europe/Berlin).` }]);
  const before = await loadSla(ctx.tx, orgId);
  const values = { timezone: input.timezone, businessHours: input.businessHours, targets: input.targets };
  await ctx.tx
    .insert(ticketSlaSettings)
    .values({ orgId, ...values })
    .onConflictDoUpdate({ target: ticketSlaSettings.orgId, set: { ...values, updatedAt: new Date() } });
  const changes = diff({ timezone: before.calendar.timezone, businessHours: before.calendar.businessHours, targets: before.targets }, values);
  if (Object.keys(changes).length) await recordAudit(ctx, { orgId, action: "sla.updated", entityType: "organization", entityId: orgId, changes });
  return { orgId, ...values, isDefault: false };
}
