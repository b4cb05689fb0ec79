import { eq, sql } from "drizzle-orm";
import { systemActor } from "./platform/access/actor.js";
import type { Ctx } from "./platform/context.js";
import { seedDemoContent } from "./demo.js";
import type { Composition } from "./platform/modules.js";
import { runAs, type Services } from "./platform/services.js";
import { createUser, findUserByLogin } from "./modules/accounts/accounts.service.js";
import { addMembership, memberRoleKeys } from "./modules/orgs/members.service.js";
import { findOrganization, organizations } from "./modules/access/index.js";
import { insertOrganization } from "./modules/orgs/orgs.service.js";
import { DEFAULT_ROLE_KEYS } from "@cairn/shared";

export const DEFAULT_ORG = { slug: "cairn", name: "Cairn Community" };

/** An arbitrary constant naming the bootstrap's advisory lock. */
const BOOTSTRAP_LOCK = 7_310_042;

/** The open organization self-registration lands in; created on first start. Returns true when it was created. */
export async function ensureDefaultOrganization(services: Services): Promise<boolean> {
  return runAs(services, systemActor("bootstrap"), async (ctx) => {
    // Several instances may start at once: one at a time decides, the others see its organization.
    await ctx.tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`);
    const [open] = await ctx.tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.openRegistration, true));
    if (open) return false;
    if (await findOrganization(ctx.tx, DEFAULT_ORG.slug)) {
      await ctx.tx.update(organizations).set({ openRegistration: true }).where(eq(organizations.slug, DEFAULT_ORG.slug));
      return false;
    }
    await insertOrganization(ctx, { ...DEFAULT_ORG, openRegistration: true });
    ctx.services.log.info("created the open organization %s", DEFAULT_ORG.slug);
    return true;
  });
}

/** The password of every demo account: documented in the README, for trying Cairn locally only. */
export const DEMO_PASSWORD = "cairn-demo-2026";

async function ensureUser(ctx: Ctx, username: string, email: string, isSuperuser = false) {
  return (await findUserByLogin(ctx.tx, email)) ?? createUser(ctx, { email, username, password: DEMO_PASSWORD, isSuperuser });
}

/**
 * Demo data: a superuser, and a company organization with one member per
 * default role, so every screen can be tried at once. Idempotent.
 */
export async function seedDemo(services: Services, composition: Composition): Promise<void> {
  const people = await runAs(services, systemActor("seed-demo"), async (ctx) => {
    await ensureUser(ctx, "superuser", "superuser@demo.cairn.local", true);
    const org = (await findOrganization(ctx.tx, "acme")) ?? (await insertOrganization(ctx, { slug: "acme", name: "Acme Studio" }));
    const ids: Record<string, string> = {};
    for (const role of DEFAULT_ROLE_KEYS) {
      const username = `acme-${role.replace(/_/g, "-")}`;
      const user = await ensureUser(ctx, username, `${username}@demo.cairn.local`);
      const existing = await memberRoleKeys(ctx.tx, org.id, user.id);
      if (!existing.length) await addMembership(ctx, org.id, user.id, [role]);
      ids[role] = user.id;
    }
    return ids;
  });
  if (await seedDemoContent(services, composition, people)) services.log.info("Demo content created: clients, a team, projects in every status with payments and a file, tasks, support tickets and their notifications.");
  services.log.info(
    `Demo data ready. Sign in as "superuser" or "acme-admin" (or acme-project-manager, acme-salesperson, acme-verifier, acme-support, acme-verified-developer, acme-developer, acme-customer) with the password ${DEMO_PASSWORD}`,
  );
}
