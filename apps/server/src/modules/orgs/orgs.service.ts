import { asc, count, eq, sql } from "drizzle-orm";
import { authorize, requireUser } from "../../platform/access/engine.js";
import { diff, recordAudit } from "../../platform/audit/audit.js";
import type { Ctx } from "../../platform/context.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import type { Page, PageQuery } from "../../platform/http/pagination.js";
import { createDefaultRoles, findOrganization, getOrganization, memberships, organizations, orgPolicy, type OrgRow } from "../access/index.js";
import { addMember, type MemberView } from "./members.service.js";

export async function listOrganizations(ctx: Ctx, query: PageQuery & { search?: string }): Promise<Page<OrgRow>> {
  const actor = requireUser(ctx.actor);
  const visible = actor.isSuperuser ? undefined : sql`${organizations.id} in (select ${memberships.orgId} from ${memberships} where ${memberships.userId} = ${actor.userId} and ${memberships.isActive})`;
  const search = query.search ? sql`${organizations.name} ilike ${`%${query.search}%`}` : undefined;
  const where = visible && search ? sql`${visible} and ${search}` : (visible ?? search);
  const [total] = await ctx.tx.select({ value: count() }).from(organizations).where(where);
  const items = await ctx.tx
    .select()
    .from(organizations)
    .where(where)
    .orderBy(asc(organizations.name))
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize);
  return { items, page: query.page, pageSize: query.pageSize, total: total?.value ?? 0 };
}

/** Creates an organization with the default roles. */
export async function insertOrganization(
  ctx: Ctx,
  input: { slug: string; name: string; openRegistration?: boolean },
): Promise<OrgRow> {
  const existing = await findOrganization(ctx.tx, input.slug);
  if (existing) throw new ConflictError(`The slug ${input.slug} is taken.`, "duplicate", [{ path: "slug", message: "Already taken." }]);
  if (input.openRegistration) {
    // One organization takes self-registrations: opening another closes the previous one.
    await ctx.tx.update(organizations).set({ openRegistration: false }).where(eq(organizations.openRegistration, true));
  }
  const [org] = await ctx.tx
    .insert(organizations)
    .values({ slug: input.slug.toLowerCase(), name: input.name, openRegistration: input.openRegistration ?? false })
    .returning();
  if (!org) throw new Error("organization insert returned nothing");
  await createDefaultRoles(ctx.tx, org.id);
  await recordAudit(ctx, {
    orgId: org.id,
    action: "organization.created",
    entityType: "organization",
    entityId: org.id,
    changes: { slug: [null, org.slug], name: [null, org.name] },
  });
  return org;
}

/**
 * The superuser creates an organization and, in the same transaction, names
 * its first admin: an existing user (matched by email) joins and is told so, a
 * new one gets an account and a set-password email.
 */
export async function createOrganization(
  ctx: Ctx,
  input: { slug: string; name: string; openRegistration?: boolean; admin?: { email: string; username: string } },
): Promise<OrgRow & { admin: MemberView | null }> {
  authorize(ctx.actor, orgPolicy, "create", null);
  const { admin, ...fields } = input;
  const org = await insertOrganization(ctx, fields);
  return { ...org, admin: admin ? await addMember(ctx, org.id, { ...admin, roles: ["admin"] }) : null };
}

export async function updateOrganization(
  ctx: Ctx,
  idOrSlug: string,
  patch: { name?: string; openRegistration?: boolean },
): Promise<OrgRow> {
  const org = await getOrganization(ctx, idOrSlug);
  authorize(ctx.actor, orgPolicy, "update", { orgId: org.id });
  if (patch.openRegistration !== undefined && patch.openRegistration !== org.openRegistration && !requireUser(ctx.actor).isSuperuser) {
    throw new ConflictError("Only the platform superuser chooses which organization takes self-registrations.", "superuser_only");
  }
  if (patch.openRegistration) {
    await ctx.tx.update(organizations).set({ openRegistration: false }).where(eq(organizations.openRegistration, true));
  }
  const [updated] = await ctx.tx.update(organizations).set(patch).where(eq(organizations.id, org.id)).returning();
  if (!updated) throw new NotFoundError("organization");
  await recordAudit(ctx, {
    orgId: org.id,
    action: "organization.updated",
    entityType: "organization",
    entityId: org.id,
    changes: diff(org, patch),
  });
  return updated;
}
