import { DEFAULT_ROLES, type DefaultRoleKey, type GrantScope, type Permission } from "@cairn/shared";
import type { UserActor } from "../../platform/access/actor.js";

export const ORG_A = "00000000-0000-4000-8000-00000000000a";
export const ORG_B = "00000000-0000-4000-8000-00000000000b";

/** An actor holding one default role in organization A, with exactly the grants of packages/shared's catalog. */
export function actorWithRole(role: DefaultRoleKey, userId = `user-${role}`): UserActor {
  const definition = DEFAULT_ROLES.find((candidate) => candidate.key === role);
  if (!definition) throw new Error(`unknown role ${role}`);
  const own = new Set(definition.ownScoped ?? []);
  const grants: Partial<Record<Permission, GrantScope>> = {};
  for (const permission of definition.permissions) grants[permission] = own.has(permission) ? "own" : "all";
  return {
    kind: "user",
    userId,
    username: userId,
    isSuperuser: false,
    sessionId: null,
    orgs: [{ orgId: ORG_A, slug: "a", name: "A", openRegistration: false, createdAt: "2026-01-01T00:00:00.000Z", roles: [role], grants, projectLimit: definition.projectLimit, developerTrack: definition.developerTrack ?? null }],
  };
}
