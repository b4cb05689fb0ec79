import type { Tx } from "../../db/client.js";
import * as tenancy from "../../platform/access/org-scope.js";
import type { Ctx } from "../../platform/context.js";
import { findOrganization, memberships } from "../access/index.js";
import { users } from "../accounts/index.js";

/**
 * The platform's tenancy helpers (platform/access/org-scope.ts) bound to the
 * identity tables, for this module's services.
 */

export { inMemberOrgs, likePattern } from "../../platform/access/org-scope.js";

export const resolveOrgFilter = (ctx: Ctx, idOrSlug: string): Promise<string> => tenancy.resolveOrgFilter(ctx, idOrSlug, findOrganization);

export const resolveTargetOrg = (ctx: Ctx, orgId: string | undefined): Promise<string> => tenancy.resolveTargetOrg(ctx, orgId, findOrganization);

/** Throws a 400 on `path` unless `userId` is an active member of the organization. Returns their username. */
export const assertOrgMember = (tx: Tx, orgId: string, userId: string, path: string): Promise<string> =>
  tenancy.assertOrgMember(tx, { memberships, users }, orgId, userId, path);
