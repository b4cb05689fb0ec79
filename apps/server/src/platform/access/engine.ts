import type { GrantScope, Permission } from "@cairn/shared";
import type { SQL } from "drizzle-orm";
import { NotAuthenticatedError, NotFoundError, PermissionDeniedError } from "../errors.js";
import type { Actor, OrgAccess, UserActor } from "./actor.js";
import type { OrgColumns, ScopeNode } from "./scope.js";

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

/**
 * A rule that also reads as SQL: built only from `requires`, `requiresOwn`,
 * `anyOf`, `allOf` and `fact`, it carries its own description (`scope`), from
 * which `listScope` (scope.ts) writes the condition a list of such objects
 * uses. `C` is what the SQL half needs of the list's table: its columns.
 */
export type ScopedRule<T, C> = Rule<T> & { readonly scope: ScopeNode<C> };

/** A fact about one object, told twice side by side: of the object, and as SQL over a table's columns. */
export type Fact<T, C> = Rule<T> & { readonly scope: Extract<ScopeNode<C>, { kind: "fact" }> };

/**
 * The columns each listed action's SQL reads, by action: `{ view: TeamColumns }`
 * says that lists of teams are scoped by the `view` rule, which must then be a
 * `ScopedRule` (a type error otherwise).
 */
export type ListColumns<Actions> = { [A in keyof Actions]?: OrgColumns };

export type Policy<Actions extends Record<string, unknown>, Lists extends ListColumns<Actions> = Record<never, never>> = {
  entity: string;
  rules: { [A in keyof Actions]: Rule<Actions[A]> };
  /** Types only: which actions scope lists, and the columns their SQL reads. */
  readonly lists?: Lists;
};

/**
 * A policy: one rule per action. Actions named in `Lists` also scope lists:
 * their rule is a `ScopedRule`, so "may see this object" and "this object is
 * in my list" come from one definition (`listScope` in scope.ts).
 */
export function definePolicy<Actions extends Record<string, unknown>, Lists extends ListColumns<Actions> = Record<never, never>>(
  entity: string,
  rules: { [A in keyof Actions]: A extends keyof Lists ? ScopedRule<Actions[A], NonNullable<Lists[A]>> : Rule<Actions[A]> },
): Policy<Actions, Lists> {
  return { entity, rules };
}

function withScope<T, C>(rule: Rule<T>, scope: ScopeNode<C>): ScopedRule<T, C> {
  return Object.assign(rule, { scope });
}

/** The SQL description of a rule, when it has one. */
export function scopeOf<T>(rule: Rule<T>): ScopeNode<unknown> | undefined {
  return (rule as Partial<ScopedRule<T, unknown>>).scope;
}

const isScopedRule = <T>(value: unknown): value is ScopedRule<T, unknown> =>
  typeof value === "function" && typeof (value as Partial<ScopedRule<T, unknown>>).scope === "object";

/**
 * A fact about an object, with its SQL beside it: `test` tells it of one object,
 * `sql` of the rows of a list (`me` is the caller's id, as a parameter or a
 * placeholder). The two must say the same thing; the property test of the
 * policies (platform/access/lists.property.test.ts) checks they do. A fact alone grants
 * nothing: it is used with a permission (`requires("teams.manage", manages)`)
 * or as one way in among others (`anyOf`).
 */
export function fact<T, C>(name: string, test: (actor: UserActor, object: T) => boolean, sql: (columns: C, me: unknown) => SQL): Fact<T, C> {
  const rule: Rule<T> = (actor, object) => (test(actor, object) ? allow : deny());
  return Object.assign(rule, { scope: { kind: "fact" as const, name, sql } });
}

/**
 * A rule about a related object, as a rule about this one: a task is seen when its project is
 * (`through("project", projectView, (task) => task.project, projects, link)`). Told of one object,
 * it asks `rule` of the related one (none: denied); as SQL, what is left of `rule` in an
 * organization is written once over the related table's `columns`, and `link` joins it to the
 * list's rows (`inner` null: any related row at all). `orgs` is the group's organizations (an
 * array of ids as SQL; null for the superuser): the related rows are of those organizations only,
 * so `link` may narrow its subquery to them instead of reading every organization's rows.
 */
export function through<T, U, C, CU>(
  name: string,
  rule: ScopedRule<U, CU>,
  related: (object: T) => U | null,
  columns: CU,
  link: (columns: C, inner: SQL | null, orgs: SQL | null) => SQL,
): ScopedRule<T, C> {
  const check: Rule<T> = (actor, object) => {
    const target = related(object);
    return target === null ? deny() : rule(actor, target);
  };
  return withScope(check, { kind: "through", name, of: rule.scope as ScopeNode<unknown>, columns, link });
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

type IsOwn<T> = (actor: UserActor, object: T) => boolean;

/**
 * A rule for "holds `permission` in the object's organization"; with `own`,
 * a grant of scope `own` allows only when the object is the actor's own.
 * Given as a fact (or a rule of facts), `own` makes the rule a `ScopedRule`.
 */
export function requires<T extends Scoped>(permission: Permission): ScopedRule<T, unknown>;
export function requires<T extends Scoped, C>(permission: Permission, own: ScopedRule<T, C>): ScopedRule<T, C>;
export function requires<T extends Scoped>(permission: Permission, own: IsOwn<T>): Rule<T>;
export function requires<T extends Scoped>(permission: Permission, own?: ScopedRule<T, unknown> | IsOwn<T>): Rule<T> {
  const isOwn: IsOwn<T> | undefined = isScopedRule<T>(own) ? (actor, object) => own(actor, object).allowed : own;
  const rule: Rule<T> = (actor, object) => {
    const scope = grantIn(actor, object.orgId, permission);
    if (scope === "all") return allow;
    if (scope === "own" && isOwn?.(actor, object)) return allow;
    return deny(permission);
  };
  if (own !== undefined && !isScopedRule<T>(own)) return rule;
  return withScope(rule, { kind: "grant", permission, ownOnly: false, own: own?.scope ?? null });
}

/**
 * A rule for codenames that are about the actor's own objects by definition
 * (`projects.change_own`): the permission, in any scope, and the object is the actor's.
 */
export function requiresOwn<T extends Scoped, C>(permission: Permission, own: ScopedRule<T, C>): ScopedRule<T, C>;
export function requiresOwn<T extends Scoped>(permission: Permission, own: IsOwn<T>): Rule<T>;
export function requiresOwn<T extends Scoped>(permission: Permission, own: ScopedRule<T, unknown> | IsOwn<T>): Rule<T> {
  const isOwn: IsOwn<T> = isScopedRule<T>(own) ? (actor, object) => own(actor, object).allowed : own;
  const rule: Rule<T> = (actor, object) => (grantIn(actor, object.orgId, permission) !== null && isOwn(actor, object) ? allow : deny(permission));
  return isScopedRule<T>(own) ? withScope(rule, { kind: "grant", permission, ownOnly: true, own: own.scope }) : rule;
}

/** Allowed when any of the rules allows; otherwise names the first missing permission. */
export function anyOf<T, C>(...rules: ScopedRule<T, C>[]): ScopedRule<T, C>;
export function anyOf<T>(...rules: Rule<T>[]): Rule<T>;
export function anyOf<T>(...rules: Rule<T>[]): Rule<T> {
  const rule: Rule<T> = (actor, object) => {
    let first: Decision | null = null;
    for (const each of rules) {
      const decision = each(actor, object);
      if (decision.allowed) return decision;
      first ??= decision;
    }
    return first ?? deny();
  };
  return combined(rule, "any", rules);
}

/** Allowed when every rule allows. */
export function allOf<T, C>(...rules: ScopedRule<T, C>[]): ScopedRule<T, C>;
export function allOf<T>(...rules: Rule<T>[]): Rule<T>;
export function allOf<T>(...rules: Rule<T>[]): Rule<T> {
  const rule: Rule<T> = (actor, object) => {
    for (const each of rules) {
      const decision = each(actor, object);
      if (!decision.allowed) return decision;
    }
    return allow;
  };
  return combined(rule, "all", rules);
}

/** A combination reads as SQL when each of its parts does. */
function combined<T>(rule: Rule<T>, kind: "any" | "all", parts: Rule<T>[]): Rule<T> {
  const scopes = parts.map((part) => scopeOf(part));
  const complete = scopes.filter((scope) => scope !== undefined);
  return complete.length === parts.length ? withScope(rule, { kind, of: complete }) : rule;
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
