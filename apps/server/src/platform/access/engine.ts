import type { GrantScope, Permission } from "@cairn/shared";
import { NotAuthenticatedError, NotFoundError, PermissionDeniedError } from "../errors.js";
import type { Actor, OrgAccess, UserActor } from "./actor.js";

/**
 * The one place that answers "may this actor do this action on this object".
 * Modules describe their rules in `*.policy.ts` with `definePolicy`; routes and
 * services call `authorize` (throws) or `allowedActions` (for the UI). Nothing
 * else looks at roles: role names never appear in a rule, only permissions.
 */

export type Decision = { allowed: true } | { allowed: false; missing: Permission | null; reason?: string };

export const allow: Decision = { allowed: true };
export const deny = (missing: Permission | null = null, reason?: string): Decision => ({ allowed: false, missing, reason });

/** Platform-level rights (organizations, schedules, the job monitor) belong to the superuser alone. */
export const superuserOnly = (what: string): Rule<unknown> => (actor) =>
  actor.isSuperuser ? allow : deny(null, `Only the platform superuser may ${what}.`);

/** Something that lives in an organization. */
export type Scoped = { orgId: string };

export type Rule<T> = (actor: UserActor, object: T) => Decision;

export type Policy<Actions extends Record<string, unknown>> = {
  entity: string;
  rules: { [A in keyof Actions]: Rule<Actions[A]> };
};

export function definePolicy<Actions extends Record<string, unknown>>(
  entity: string,
  rules: { [A in keyof Actions]: Rule<Actions[A]> },
): Policy<Actions> {
  return { entity, rules };
}

export function membershipIn(actor: UserActor, orgId: string): OrgAccess | undefined {
  return actor.orgs.find((org) => org.orgId === orgId);
}

/** The scope of a permission the actor holds in an organization; superusers hold everything. */
export function grantIn(actor: UserActor, orgId: string, permission: Permission): GrantScope | null {
  if (actor.isSuperuser) return "all";
  return membershipIn(actor, orgId)?.grants[permission] ?? null;
}

export function hasPermission(actor: UserActor, orgId: string, permission: Permission): boolean {
  return grantIn(actor, orgId, permission) !== null;
}

/** Organizations in which the actor holds a permission (any scope). */
export function orgsWith(actor: UserActor, permission: Permission): string[] {
  return actor.orgs.filter((org) => org.grants[permission] !== undefined).map((org) => org.orgId);
}

/**
 * A rule for "holds `permission` in the object's organization"; with `isOwn`,
 * a grant of scope `own` allows only when the object is the actor's own.
 */
export function requires<T extends Scoped>(permission: Permission, isOwn?: (actor: UserActor, object: T) => boolean): Rule<T> {
  return (actor, object) => {
    const scope = grantIn(actor, object.orgId, permission);
    if (scope === "all") return allow;
    if (scope === "own" && isOwn?.(actor, object)) return allow;
    return deny(permission);
  };
}

/**
 * A rule for codenames that are about the actor's own objects by definition
 * (`projects.change_own`): the permission, in any scope, and the object is the actor's.
 */
export function requiresOwn<T extends Scoped>(permission: Permission, isOwn: (actor: UserActor, object: T) => boolean): Rule<T> {
  return (actor, object) => (grantIn(actor, object.orgId, permission) !== null && isOwn(actor, object) ? allow : deny(permission));
}

/** Allowed when any of the rules allows; otherwise names the first missing permission. */
export function anyOf<T>(...rules: Rule<T>[]): Rule<T> {
  return (actor, object) => {
    let first: Decision | null = null;
    for (const rule of rules) {
      const decision = rule(actor, object);
      if (decision.allowed) return decision;
      first ??= decision;
    }
    return first ?? deny();
  };
}

/** Allowed when every rule allows. */
export function allOf<T>(...rules: Rule<T>[]): Rule<T> {
  return (actor, object) => {
    for (const rule of rules) {
      const decision = rule(actor, object);
      if (!decision.allowed) return decision;
    }
    return allow;
  };
}

export function requireUser(actor: Actor): UserActor {
  if (actor.kind !== "user") throw new NotAuthenticatedError();
  return actor;
}

/**
 * Throws unless the actor may do `action` on `object`. An object in an
 * organization the actor does not belong to is a 404, never a 403, so its
 * existence is not revealed.
 */
export function authorize<Actions extends Record<string, unknown>, A extends keyof Actions & string>(
  actor: Actor,
  policy: Policy<Actions>,
  action: A,
  object: Actions[A],
): UserActor {
  const user = requireUser(actor);
  if (isScoped(object) && !user.isSuperuser && !membershipIn(user, object.orgId)) {
    throw new NotFoundError(policy.entity);
  }
  const decision = policy.rules[action](user, object);
  if (!decision.allowed) throw new PermissionDeniedError(decision.missing, decision.reason);
  return user;
}

export function can<Actions extends Record<string, unknown>, A extends keyof Actions & string>(
  actor: Actor,
  policy: Policy<Actions>,
  action: A,
  object: Actions[A],
): boolean {
  if (actor.kind !== "user") return false;
  if (isScoped(object) && !actor.isSuperuser && !membershipIn(actor, object.orgId)) return false;
  return policy.rules[action](actor, object).allowed;
}

/** The actions of a policy the actor may take on one object: sent to the UI so it never re-derives rules. */
export function allowedActions<Actions extends Record<string, unknown>>(
  actor: Actor,
  policy: Policy<Actions>,
  object: Actions[keyof Actions],
): Array<keyof Actions & string> {
  return (Object.keys(policy.rules) as Array<keyof Actions & string>).filter((action) =>
    can(actor, policy, action, object as Actions[typeof action]),
  );
}

function isScoped(object: unknown): object is Scoped {
  return typeof object === "object" && object !== null && typeof (object as Scoped).orgId === "string";
}
