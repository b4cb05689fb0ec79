import { DEFAULT_ROLES, isPermission, ownScopeOf, PERMISSION_CODENAMES, type CreateRoleInput, type DeveloperTrack, type Permission, type UpdateRoleInput } from "@cairn/shared";
import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { authorize, can } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { membershipRoles, rolePermissions, roles } from "./access.table.js";
import { rolePolicy } from "./access.policy.js";

export type RoleView = {
  id: string;
  orgId: string;
  key: string;
  name: string;
  description: string;
  isSystem: boolean;
  projectLimit: number | null;
  /** The role's place on the developer track; null off it. */
  developerTrack: DeveloperTrack | null;
  permissions: Permission[];
  ownScoped: Permission[];
  /** Members holding the role. */
  memberCount: number;
};

/** A role as the API shows it to a caller: with what they may do to it. */
export type RoleOut = RoleView & { allowedActions: string[] };

function withActions(ctx: Ctx, role: RoleView): RoleOut {
  const actions = [
    ...(can(ctx.actor, rolePolicy, "update", role) ? ["update"] : []),
    ...(can(ctx.actor, rolePolicy, "delete", role) ? ["delete"] : []),
  ];
  return { ...role, allowedActions: actions };
}

/** Creates the default roles of a new organization, with the grants of DESIGN.md. */
export async function createDefaultRoles(tx: Tx, orgId: string): Promise<void> {
  for (const definition of DEFAULT_ROLES) {
    const [role] = await tx
      .insert(roles)
      .values({
        orgId,
        key: definition.key,
        name: definition.name,
        description: definition.description,
        isSystem: true,
        projectLimit: definition.projectLimit,
        developerTrack: definition.developerTrack ?? null,
      })
      .returning({ id: roles.id });
    if (!role) throw new Error("role insert returned nothing");
    const own = new Set(definition.ownScoped ?? []);
    await tx.insert(rolePermissions).values(
      [...new Set(definition.permissions)].map((permission) => ({
        roleId: role.id,
        permission,
        scope: own.has(permission) ? ("own" as const) : ("all" as const),
      })),
    );
  }
}

/** Roles of one organization with their grants; tenancy by signature. */
export async function findRoles(tx: Tx, orgId: string, keys?: string[]): Promise<RoleView[]> {
  const rows = await tx
    .select()
    .from(roles)
    .where(keys ? and(eq(roles.orgId, orgId), inArray(roles.key, keys)) : eq(roles.orgId, orgId))
    .orderBy(asc(roles.isSystem), asc(roles.name));
  if (!rows.length) return [];
  const grants = await tx
    .select()
    .from(rolePermissions)
    .where(
      inArray(
        rolePermissions.roleId,
        rows.map((row) => row.id),
      ),
    );
  const counts = await tx
    .select({ roleId: membershipRoles.roleId, value: count() })
    .from(membershipRoles)
    .where(inArray(membershipRoles.roleId, rows.map((row) => row.id)))
    .groupBy(membershipRoles.roleId);
  const order = new Map(PERMISSION_CODENAMES.map((codename, index) => [codename, index]));
  return rows
    .sort((a, b) => Number(b.isSystem) - Number(a.isSystem))
    .map((row) => {
      const mine = grants
        .filter((grant) => grant.roleId === row.id && isPermission(grant.permission))
        .sort((a, b) => (order.get(a.permission as Permission) ?? 0) - (order.get(b.permission as Permission) ?? 0));
      return {
        id: row.id,
        orgId: row.orgId,
        key: row.key,
        name: row.name,
        description: row.description,
        isSystem: row.isSystem,
        projectLimit: row.projectLimit,
        developerTrack: row.developerTrack,
        permissions: mine.map((grant) => grant.permission as Permission),
        ownScoped: mine.filter((grant) => grant.scope === "own").map((grant) => grant.permission as Permission),
        memberCount: counts.find((entry) => entry.roleId === row.id)?.value ?? 0,
      };
    });
}

export async function listRoles(ctx: Ctx, orgId: string): Promise<RoleOut[]> {
  authorize(ctx.actor, rolePolicy, "list", { orgId });
  return (await findRoles(ctx.tx, orgId)).map((role) => withActions(ctx, role));
}

/**
 * DELETE /api/orgs/{org}/roles/{key}: a custom role nobody holds. While members hold it the
 * answer is a 409 saying how many, so the admin knows whom to move first.
 */
export async function deleteRole(ctx: Ctx, orgId: string, key: string): Promise<void> {
  const [role] = await findRoles(ctx.tx, orgId, [key]);
  if (!role) throw new NotFoundError("role");
  authorize(ctx.actor, rolePolicy, "delete", role);
  const [row] = await ctx.tx
    .select({ value: count() })
    .from(membershipRoles)
    .where(and(eq(membershipRoles.orgId, orgId), eq(membershipRoles.roleId, role.id)));
  const holding = row?.value ?? 0;
  if (holding > 0) {
    throw new ConflictError(
      `${holding} member${holding === 1 ? " holds" : "s hold"} the role ${role.name}: give ${holding === 1 ? "them" : "each of them"} another role first.`,
      "role_in_use",
    );
  }
  await ctx.tx.delete(roles).where(and(eq(roles.orgId, orgId), eq(roles.id, role.id)));
  await recordAudit(ctx, {
    orgId,
    action: "role.deleted",
    entityType: "role",
    entityId: role.id,
    changes: { key: [role.key, null], name: [role.name, null], permissions: [role.permissions, null] },
  });
}

export type RoleInput = CreateRoleInput;

function checkPermissions(permissions: string[], path: string): Permission[] {
  const unknown = permissions.filter((permission) => !isPermission(permission));
  if (unknown.length) throw new ValidationError([{ path, message: `Unknown permissions: ${unknown.join(", ")}.` }]);
  return [...new Set(permissions)] as Permission[];
}

/**
 * The grants limited to the holder's own objects: granted ones only, and only permissions whose
 * rules know what "own" means (the catalog's OWN_SCOPES); anything else would grant nothing.
 */
function checkOwnScoped(ownScoped: string[], permissions: Permission[]): Permission[] {
  const own = checkPermissions(ownScoped, "ownScoped");
  const notGranted = own.filter((permission) => !permissions.includes(permission));
  if (notGranted.length)
    throw new ValidationError([{ path: "ownScoped", message: `Only granted permissions can be limited to own objects: ${notGranted.join(", ")} is not granted.` }]);
  const unscoped = own.filter((permission) => ownScopeOf(permission) === null);
  if (unscoped.length)
    throw new ValidationError([{ path: "ownScoped", message: `These permissions have no "own" scope: ${unscoped.join(", ")}.` }]);
  return own;
}

async function writeGrants(tx: Tx, roleId: string, permissions: Permission[], ownScoped: Permission[]) {
  await tx.delete(rolePermissions).where(eq(rolePermissions.roleId, roleId));
  const own = new Set(ownScoped);
  if (permissions.length) {
    await tx
      .insert(rolePermissions)
      .values(permissions.map((permission) => ({ roleId, permission, scope: own.has(permission) ? ("own" as const) : ("all" as const) })));
  }
}

/** Holders of a role, whose cached permissions must be dropped when it changes. */
async function holders(tx: Tx, roleId: string): Promise<string[]> {
  const rows = await tx.select({ userId: membershipRoles.userId }).from(membershipRoles).where(eq(membershipRoles.roleId, roleId));
  return rows.map((row) => row.userId);
}

export async function createRole(ctx: Ctx, orgId: string, input: RoleInput): Promise<RoleOut> {
  authorize(ctx.actor, rolePolicy, "create", { orgId });
  const permissions = checkPermissions(input.permissions, "permissions");
  const ownScoped = checkOwnScoped(input.ownScoped ?? [], permissions);
  const [existing] = await ctx.tx.select({ id: roles.id }).from(roles).where(and(eq(roles.orgId, orgId), eq(roles.key, input.key)));
  if (existing) throw new ConflictError(`A role with the key ${input.key} already exists.`, "duplicate", [{ path: "key", message: "Already taken." }]);
  const [role] = await ctx.tx
    .insert(roles)
    .values({
      orgId,
      key: input.key,
      name: input.name,
      description: input.description ?? "",
      projectLimit: input.projectLimit ?? null,
      developerTrack: input.developerTrack ?? null,
    })
    .returning();
  if (!role) throw new Error("role insert returned nothing");
  await writeGrants(ctx.tx, role.id, permissions, ownScoped);
  await recordAudit(ctx, {
    orgId,
    action: "role.created",
    entityType: "role",
    entityId: role.id,
    changes: {
      key: [null, input.key],
      permissions: [null, permissions],
      ownScoped: [null, ownScoped],
      projectLimit: [null, input.projectLimit ?? null],
      developerTrack: [null, input.developerTrack ?? null],
    },
  });
  const [view] = await findRoles(ctx.tx, orgId, [input.key]);
  if (!view) throw new Error("created role not found");
  return withActions(ctx, view);
}

export type RolePatch = UpdateRoleInput;

/**
 * Edits a role. The grants and the developer track of system roles are the
 * documented defaults and stay read-only (every organization keeps one role at
 * each step of the track, which onboarding promotes between); their name,
 * description and project limit may change.
 */
export async function updateRole(ctx: Ctx, orgId: string, key: string, patch: RolePatch): Promise<RoleOut> {
  authorize(ctx.actor, rolePolicy, "update", { orgId });
  const [before] = await findRoles(ctx.tx, orgId, [key]);
  if (!before) throw new NotFoundError("role");
  if (before.isSystem && (patch.permissions !== undefined || patch.ownScoped !== undefined)) {
    throw new ConflictError("The permissions of a default role are fixed; create a custom role instead.", "system_role", [
      { path: "permissions", message: "Default roles keep their permissions." },
    ]);
  }
  if (before.isSystem && patch.developerTrack !== undefined && patch.developerTrack !== before.developerTrack) {
    throw new ConflictError("The developer track of a default role is fixed; create a custom role instead.", "system_role", [
      { path: "developerTrack", message: "Default roles keep their place on the developer track." },
    ]);
  }
  // updatedAt moves on every edit, so the update always has something to set.
  await ctx.tx
    .update(roles)
    .set({
      name: patch.name,
      description: patch.description,
      projectLimit: patch.projectLimit,
      developerTrack: patch.developerTrack,
      updatedAt: new Date(),
    })
    .where(and(eq(roles.orgId, orgId), eq(roles.id, before.id)));
  const permissions = patch.permissions ? checkPermissions(patch.permissions, "permissions") : before.permissions;
  const ownScoped = patch.ownScoped ? checkOwnScoped(patch.ownScoped, permissions) : before.ownScoped.filter((p) => permissions.includes(p));
  if (patch.permissions || patch.ownScoped) await writeGrants(ctx.tx, before.id, permissions, ownScoped);
  const [after] = await findRoles(ctx.tx, orgId, [key]);
  if (!after) throw new Error("updated role not found");
  await recordAudit(ctx, {
    orgId,
    action: "role.updated",
    entityType: "role",
    entityId: before.id,
    changes: diff(before, {
      name: after.name,
      description: after.description,
      projectLimit: after.projectLimit,
      developerTrack: after.developerTrack,
      permissions: after.permissions,
      ownScoped: after.ownScoped,
    }),
  });
  const affected = await holders(ctx.tx, before.id);
  ctx.afterCommit(() => notifyPermissionsChanged(ctx, affected));
  return withActions(ctx, after);
}

/** After commit: drop cached principals and tell open sessions to refresh themselves. */
export async function notifyPermissionsChanged(ctx: Pick<Ctx, "services">, userIds: string[]): Promise<void> {
  await ctx.services.principals.invalidate(userIds);
  await Promise.all(userIds.map((userId) => ctx.services.realtime.toUser(userId, "me.updated", { reason: "permissions" })));
}
