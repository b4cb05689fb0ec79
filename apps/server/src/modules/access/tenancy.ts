import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { allow, authorize, definePolicy, requires, superuserOnly, type Scoped } from "../../platform/access/engine.js";
import type { Ctx } from "../../platform/context.js";
import { NotFoundError } from "../../platform/errors.js";
import { organizations } from "./tenancy.table.js";

/**
 * Organizations as the rest of identity sees them: found by id or slug, and visible
 * to their members and the superuser. Administration (creating, renaming, members)
 * is the orgs module's; this is the lookup every module below and beside it needs.
 */
export type OrgRow = typeof organizations.$inferSelect;

export const orgPolicy = definePolicy<{ view: Scoped; update: Scoped; create: null }>("organization", {
  // Membership is checked by the engine (another organization is a 404); every member may see their organization.
  view: () => allow,
  update: requires("roles.manage"),
  create: superuserOnly("create organizations"),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organization by id or slug, whoever asks (callers authorize). */
export async function findOrganization(tx: Tx, idOrSlug: string): Promise<OrgRow | undefined> {
  const [org] = await tx
    .select()
    .from(organizations)
    .where(UUID.test(idOrSlug) ? eq(organizations.id, idOrSlug) : eq(organizations.slug, idOrSlug.toLowerCase()));
  return org;
}

/** The organization if the actor may see it; otherwise a 404, whether or not it exists. */
export async function getOrganization(ctx: Ctx, idOrSlug: string): Promise<OrgRow> {
  const org = await findOrganization(ctx.tx, idOrSlug);
  if (!org) throw new NotFoundError("organization");
  authorize(ctx.actor, orgPolicy, "view", { orgId: org.id });
  return org;
}
