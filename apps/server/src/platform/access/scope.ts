import type { GrantScope, Permission } from "@cairn/shared";
import { and, or, sql, type Column, type SQL } from "drizzle-orm";
import { PermissionDeniedError } from "../errors.js";
import type { UserActor } from "./actor.js";
import { scopeOf, type Rule } from "./engine.js";

/**
 * Which rows of a list the caller sees, written by the engine from the same
 * rule that decides whether they may see one object ("Visibility is never
 * written twice", DESIGN.md).
 *
 * A rule built from `requires`, `requiresOwn`, `anyOf`, `allOf` and `fact`
 * carries a `ScopeNode`. For each organization of the caller the engine knows
 * every grant, so it reduces the node there to `true` (everything), nothing,
 * or what is left of the facts (`owner_id = me or …`). Organizations left with
 * the same remainder share one group, and the list's condition is
 *
 *     org_id = any($group1) or (org_id = any($group2) and <remainder>) or …
 *
 * The superuser's is the remainder alone, with every grant of scope `all`.
 * Objects of organizations the caller does not belong to are never in it, as
 * `authorize` answers 404 for them.
 */

/** How a rule reads as SQL; `C` is the list table's columns its facts read. */
export type ScopeNode<C> =
  /** `requires` (`ownOnly` false) and `requiresOwn` (true): a grant, and with scope `own` (or always, for `requiresOwn`) `own`. */
  | { kind: "grant"; permission: Permission; ownOnly: boolean; own: ScopeNode<C> | null }
  | { kind: "fact"; name: string; sql: (columns: C, me: unknown) => SQL }
  | { kind: "any" | "all"; of: readonly ScopeNode<C>[] }
  /**
   * A rule about a related object (a task's project), read through a link: what is left of `of`
   * in an organization becomes one condition over the related table (`link`), so a list pays
   * for one subquery however many facts the related rule has.
   */
  | { kind: "through"; name: string; of: ScopeNode<unknown>; columns: unknown; link: (columns: C, inner: SQL | null, orgs: SQL | null) => SQL };

/** A list's organization column: every scope starts from it. */
export type OrgColumns = { orgId: Column };

/**
 * Puts a value into a query: as itself (a parameter), or as a named
 * placeholder whose value is supplied when a prepared statement runs.
 */
export type Bind = (name: string, value: unknown) => unknown;

/** A value as one parameter: an array stays one (a PostgreSQL array), where Drizzle would spread it into a list. */
export const asParam: Bind = (_name, value) => (Array.isArray(value) ? sql.param(value) : value);

/** Binds every value as a placeholder of the same name (for prepared statements). */
export const asPlaceholder: Bind = (name) => sql.placeholder(name);

/**
 * What is left of a rule in one organization, once its grants are known; null is "nothing".
 * `orgs` is the group's organizations as SQL (null: any, for the superuser).
 */
type Remainder<C> = true | { key: string; render: (columns: C, me: unknown, orgs: SQL | null) => SQL };

function reduce<C>(node: ScopeNode<C>, grant: (permission: Permission) => GrantScope | null): Remainder<C> | null {
  switch (node.kind) {
    case "grant": {
      const scope = grant(node.permission);
      if (scope === null) return null;
      if (scope === "all" && !node.ownOnly) return true;
      return node.own ? reduce(node.own, grant) : null;
    }
    case "fact":
      return { key: node.name, render: node.sql };
    case "through": {
      const inner = reduce(node.of, grant);
      if (inner === null) return null;
      if (inner === true) return { key: `${node.name}(*)`, render: (columns, _me, orgs) => node.link(columns, null, orgs) };
      return { key: `${node.name}(${inner.key})`, render: (columns, me, orgs) => node.link(columns, inner.render(node.columns, me, orgs), orgs) };
    }
    case "any": {
      const parts: Array<Exclude<Remainder<C>, true>> = [];
      for (const child of node.of) {
        const part = reduce(child, grant);
        if (part === true) return true;
        if (part) parts.push(part);
      }
      return join(parts, "any", or);
    }
    case "all": {
      const parts: Array<Exclude<Remainder<C>, true>> = [];
      for (const child of node.of) {
        const part = reduce(child, grant);
        if (part === null) return null;
        if (part !== true) parts.push(part);
      }
      return parts.length ? join(parts, "all", and) : true;
    }
  }
}

function join<C>(parts: Array<Exclude<Remainder<C>, true>>, name: string, combine: (...conditions: SQL[]) => SQL | undefined): Remainder<C> | null {
  const [first] = parts;
  if (!first) return null;
  if (parts.length === 1) return first;
  return {
    key: `${name}(${parts.map((part) => part.key).join(",")})`,
    render: (columns, me, orgs) => combine(...parts.map((part) => part.render(columns, me, orgs))) ?? sql`false`,
  };
}

/** The groups of a scope: organizations (null: any, for the superuser) and what is left of the rule there. */
export type ScopePlan<C> = {
  /** Two actors with one shape get the same SQL text (with placeholders): one prepared statement. */
  shape: string;
  groups: Array<{ orgIds: string[] | null; remainder: Remainder<C> }>;
  /** Whether the SQL names the caller (`me`). */
  usesMe: boolean;
};

const keyOf = <C>(remainder: Remainder<C>) => (remainder === true ? "T" : remainder.key);

/** Any policy, as far as lists are concerned (see `Policy` in engine.ts). */
type AnyPolicy = { entity: string; rules: object; readonly lists?: object };

/** The actions of a policy that scope lists, with their columns. */
type Listed<P> = P extends { readonly lists?: infer Lists } ? NonNullable<Lists> : never;

function ruleScope<C>(policy: AnyPolicy, action: string): ScopeNode<C> {
  const rule = (policy.rules as Record<string, Rule<never> | undefined>)[action];
  const node = rule ? scopeOf(rule) : undefined;
  if (!node) throw new Error(`The ${policy.entity} policy's ${action} rule does not read as SQL: build it from requires, anyOf, allOf and fact.`);
  return node;
}

export function planScope<C>(actor: UserActor, node: ScopeNode<C>): ScopePlan<C> {
  if (actor.isSuperuser) {
    const remainder = reduce(node, () => "all");
    if (!remainder) return { shape: "*none", groups: [], usesMe: false };
    return { shape: `*${keyOf(remainder)}`, groups: [{ orgIds: null, remainder }], usesMe: remainder !== true };
  }
  const byKey = new Map<string, { orgIds: string[]; remainder: Remainder<C> }>();
  for (const org of actor.orgs) {
    const remainder = reduce(node, (permission) => org.grants[permission] ?? null);
    if (!remainder) continue;
    const key = keyOf(remainder);
    const group = byKey.get(key);
    if (group) group.orgIds.push(org.orgId);
    else byKey.set(key, { orgIds: [org.orgId], remainder });
  }
  const keys = [...byKey.keys()].sort();
  const groups = keys.map((key) => byKey.get(key) as { orgIds: string[]; remainder: Remainder<C> });
  return { shape: keys.join("|") || "none", groups, usesMe: groups.some((group) => group.remainder !== true) };
}

/** Options of a list scope: how values go in (parameters by default), and the placeholders' prefix. */
export type ScopeOptions = { bind?: Bind; name?: string };

/** The SQL of a plan over a table's columns. */
export function renderScope<C extends OrgColumns>(actor: UserActor, plan: ScopePlan<C>, columns: C, options: ScopeOptions = {}): SQL {
  const bind = options.bind ?? asParam;
  const name = options.name ?? "scope";
  const me = plan.usesMe ? bind("me", actor.userId) : undefined;
  const parts = plan.groups.map(({ orgIds, remainder }, index) => {
    const orgs = orgIds ? sql`${bind(`${name}${index}`, orgIds)}::uuid[]` : null;
    const inOrgs = orgs ? sql`${columns.orgId} = any(${orgs})` : undefined;
    const rest = remainder === true ? undefined : remainder.render(columns, me, orgs);
    return and(inOrgs, rest) ?? sql`true`;
  });
  return or(...parts) ?? sql`false`;
}

/**
 * The rows of a list the actor sees: the condition written from the policy's
 * rule for `action` (`view`), over the list table's columns. An object is in
 * the list exactly when `authorize(actor, policy, action, object)` allows it.
 */
export function listScope<P extends AnyPolicy, A extends keyof Listed<P> & string>(
  actor: UserActor,
  policy: P,
  action: A,
  columns: NonNullable<Listed<P>[A]> & OrgColumns,
  options: ScopeOptions = {},
): SQL {
  return renderScope(actor, planScope(actor, ruleScope<typeof columns>(policy, action)), columns, options);
}

/**
 * The values `listScope` binds with placeholders (`{ bind: asPlaceholder }`),
 * and the shape that decides its SQL text: a prepared statement is kept per
 * shape and run with these values.
 */
export function listScopeValues<P extends AnyPolicy, A extends keyof Listed<P> & string>(
  actor: UserActor,
  policy: P,
  action: A,
  options: { name?: string } = {},
): { shape: string; values: Record<string, unknown> } {
  const plan = planScope(actor, ruleScope(policy, action));
  const name = options.name ?? "scope";
  const values: Record<string, unknown> = {};
  plan.groups.forEach(({ orgIds }, index) => {
    if (orgIds) values[`${name}${index}`] = orgIds;
  });
  if (plan.usesMe) values.me = actor.userId;
  return { shape: plan.shape, values };
}

/** The first permission a rule asks for: what a 403 names. */
function firstPermission<C>(node: ScopeNode<C>): Permission | null {
  if (node.kind === "grant") return node.permission;
  if (node.kind === "fact") return null;
  if (node.kind === "through") return firstPermission(node.of);
  for (const child of node.of) {
    const found = firstPermission(child);
    if (found) return found;
  }
  return null;
}

/**
 * A list the actor could see nothing of, whatever the rows, is a 403 naming
 * the permission (in `orgId` when the list is narrowed to one organization);
 * as for objects, decided by the policy's rule.
 */
export function requireListScope<P extends AnyPolicy, A extends keyof Listed<P> & string>(
  actor: UserActor,
  policy: P,
  action: A,
  orgId?: string,
): void {
  const node = ruleScope(policy, action);
  const plan = planScope(actor, node);
  const open = plan.groups.some((group) => group.orgIds === null || orgId === undefined || group.orgIds.includes(orgId));
  if (!open) throw new PermissionDeniedError(firstPermission(node));
}
