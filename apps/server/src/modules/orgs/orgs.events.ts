import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.js";
import { defineEvent } from "../../platform/events/events.js";
import { roles } from "../access/index.js";

const roleKeys = z.array(z.string());

/** The names of roles in an organization, in the order of their keys (a key without a role stays a key). */
export async function roleNames(tx: Tx, orgId: string | null, keys: string[]): Promise<string[]> {
  if (!orgId || !keys.length) return keys;
  const rows = await tx
    .select({ key: roles.key, name: roles.name })
    .from(roles)
    .where(and(eq(roles.orgId, orgId), inArray(roles.key, keys)));
  return keys.map((key) => rows.find((row) => row.key === key)?.name ?? key);
}

/** Recipients: the member. */
export const memberRoleChanged = defineEvent(
  "member.role_changed",
  z.object({ userId: z.uuid(), before: roleKeys, after: roleKeys }),
  "A member's roles in an organization changed.",
  {
    label: "Changes of my roles",
    async text(event, { org, tx }) {
      const after = await roleNames(tx, event.orgId, event.data.after);
      return {
        title: "Your roles have changed",
        body: `${org ? `In ${org}, y` : "Y"}our roles are now: ${after.length ? after.join(", ") : "none"}.`,
      };
    },
    link: () => "/",
    data: (data) => ({ before: data.before, after: data.after }),
  },
);

/**
 * Recipients: the member, an existing user an administrator added to the organization (a new
 * account gets the set-password email instead). Emailed at once by default, as it was before.
 */
export const memberAdded = defineEvent(
  "member.added",
  z.object({ userId: z.uuid(), roles: roleKeys }),
  "An administrator added you to an organization.",
  {
    label: "Added to an organization",
    email: "immediate",
    async text(event, { actor, org, tx }) {
      const names = await roleNames(tx, event.orgId, event.data.roles);
      return {
        title: `You have been added to ${org ?? "an organization"}`,
        body: `${actor} added you to ${org ?? "an organization"} on Cairn with the roles: ${names.join(", ")}.`,
      };
    },
    link: () => "/",
  },
);
