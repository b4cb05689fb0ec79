import type { Permission } from "@cairn/shared";
import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { membershipRoles, memberships, rolePermissions } from "../access/index.js";

/**
 * The active members of an organization holding any of `permissions` (through any of
 * their roles): who hears of a new project (administrators, verifiers) or a payment to
 * verify. Read in the change's transaction.
 */
export async function membersHolding(tx: Tx, orgId: string, permissions: Permission[]): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ userId: membershipRoles.userId })
    .from(membershipRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, membershipRoles.roleId))
    .innerJoin(
      memberships,
      and(eq(memberships.orgId, membershipRoles.orgId), eq(memberships.userId, membershipRoles.userId)),
    )
    .where(
      and(
        eq(membershipRoles.orgId, orgId),
        inArray(rolePermissions.permission, permissions),
        eq(memberships.isActive, true),
      ),
    );
  return rows.map((row) => row.userId);
}
