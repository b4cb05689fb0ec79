import { inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { requireUser } from "../../platform/access/engine.js";
import type { UserActor } from "../../platform/access/actor.js";
import { recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ValidationError } from "../../platform/errors.js";
import type { EventDefinition, NotifySpec } from "../../platform/events/events.js";
import { notificationSettings, type KindPreference } from "./notifications.table.js";

/**
 * Preferences: per event kind, in-app on or off and email immediate, in the
 * digest or off; and the daily and weekly digests. A user's row holds only
 * what they changed: every other kind keeps the default its event declares.
 */
export type EmailChoice = "immediate" | "digest" | "off";
export type Channels = { inApp: boolean; email: EmailChoice };
export type Preferences = {
  digest: { daily: boolean; weekly: boolean };
  events: Record<string, Channels & { label: string; description: string }>;
};
export type PreferencesPatch = {
  digest?: { daily?: boolean; weekly?: boolean };
  events?: Record<string, KindPreference>;
};

type Settings = typeof notificationSettings.$inferSelect;

export const DIGEST_DEFAULTS = { daily: true, weekly: false };

/** The kinds that notify: the declared events that say how (their `notify`). */
export function notifyingKinds(
  events: ReadonlyMap<string, EventDefinition>,
): Array<EventDefinition & { notify: NotifySpec<unknown> }> {
  return [...events.values()].filter((event): event is EventDefinition & { notify: NotifySpec<unknown> } =>
    Boolean(event.notify),
  );
}

/** Whether the actor can ever receive the kind (its audience's permissions in any of their organizations). */
function receives(actor: UserActor, spec: NotifySpec<unknown>): boolean {
  if (!spec.audience?.length || actor.isSuperuser) return true;
  return actor.orgs.some((org) => spec.audience?.some((permission) => org.grants[permission] !== undefined));
}

/** A kind's channels for a user: their choice over the event's defaults (in-app on; email as declared, else the digest). */
export function channelsOf(
  settings: Settings | undefined,
  kind: string,
  spec: NotifySpec<unknown>,
): Channels {
  const chosen = settings?.events[kind] ?? {};
  return { inApp: chosen.inApp ?? true, email: chosen.email ?? spec.email ?? "digest" };
}

/** The settings rows of many users (one query for an event's recipients). */
export async function settingsOf(tx: Tx, userIds: string[]): Promise<Map<string, Settings>> {
  if (!userIds.length) return new Map();
  const rows = await tx
    .select()
    .from(notificationSettings)
    .where(inArray(notificationSettings.userId, userIds));
  return new Map(rows.map((row) => [row.userId, row]));
}

function present(ctx: Ctx, actor: UserActor, settings: Settings | undefined): Preferences {
  const events: Preferences["events"] = {};
  for (const kind of notifyingKinds(ctx.services.events.events)) {
    if (!receives(actor, kind.notify)) continue;
    events[kind.name] = {
      ...channelsOf(settings, kind.name, kind.notify),
      label: kind.notify.label,
      description: kind.description,
    };
  }
  return {
    digest: {
      daily: settings?.dailyDigest ?? DIGEST_DEFAULTS.daily,
      weekly: settings?.weeklyDigest ?? DIGEST_DEFAULTS.weekly,
    },
    events,
  };
}

/** GET /api/me/notification-preferences: one entry per kind the caller can receive. */
export async function getMyPreferences(ctx: Ctx): Promise<Preferences> {
  const actor = requireUser(ctx.actor);
  return present(ctx, actor, (await settingsOf(ctx.tx, [actor.userId])).get(actor.userId));
}

/** Writes a user's settings (the whole row): the preferences page and the unsubscribe links. */
export async function saveSettings(
  tx: Tx,
  userId: string,
  values: { dailyDigest: boolean; weeklyDigest: boolean; events: Record<string, KindPreference> },
): Promise<Settings> {
  const [row] = await tx
    .insert(notificationSettings)
    .values({ userId, ...values })
    .onConflictDoUpdate({
      target: notificationSettings.userId,
      set: {
        dailyDigest: values.dailyDigest,
        weeklyDigest: values.weeklyDigest,
        events: values.events,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  if (!row) throw new Error("settings upsert returned nothing");
  return row;
}

/** PUT /api/me/notification-preferences: a partial change; a kind the caller cannot receive is a 400 naming it. */
export async function updateMyPreferences(ctx: Ctx, patch: PreferencesPatch): Promise<Preferences> {
  const actor = requireUser(ctx.actor);
  const kinds = new Map(
    notifyingKinds(ctx.services.events.events)
      .filter((kind) => receives(actor, kind.notify))
      .map((kind) => [kind.name, kind]),
  );
  const unknown = Object.keys(patch.events ?? {}).filter((kind) => !kinds.has(kind));
  if (unknown.length) {
    throw new ValidationError(
      unknown.map((kind) => ({ path: `events.${kind}`, message: "No such notification kind for you." })),
    );
  }
  const [current] = await ctx.tx
    .select()
    .from(notificationSettings)
    .where(sql`${notificationSettings.userId} = ${actor.userId}`)
    .for("update");
  const events = { ...(current?.events ?? {}) };
  for (const [kind, change] of Object.entries(patch.events ?? {}))
    events[kind] = { ...events[kind], ...change };
  const next = {
    dailyDigest: patch.digest?.daily ?? current?.dailyDigest ?? DIGEST_DEFAULTS.daily,
    weeklyDigest: patch.digest?.weekly ?? current?.weeklyDigest ?? DIGEST_DEFAULTS.weekly,
    events,
  };
  const saved = await saveSettings(ctx.tx, actor.userId, next);
  await recordAudit(ctx, {
    orgId: null,
    action: "notification_preferences.updated",
    entityType: "user",
    entityId: actor.userId,
    changes: { preferences: [null, patch] },
  });
  return present(ctx, actor, saved);
}
