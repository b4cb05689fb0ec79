-- Tenant-scoped references become composite foreign keys (ADR 0007): `(org_id, x_id)` points at
-- `x(org_id, id)`, or at `memberships(org_id, user_id)` for a person who must belong to the
-- organization, so that no row can point into another organization, whatever the application does.
--
-- 1. What the composite references point at: (org_id, id) is unique wherever id is.
ALTER TABLE "roles" ADD CONSTRAINT "roles_org_id_id_key" UNIQUE("org_id","id");
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_org_id_id_key" UNIQUE("org_id","id");
--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_org_id_id_key" UNIQUE("org_id","id");
--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_org_id_id_key" UNIQUE("org_id","id");
--> statement-breakpoint
-- 2. Existing rows that point across organizations could only come from a bug; they are repaired
-- toward what they belong to, so that the constraints below hold on every database. A payment
-- follows its project; a project member, team member or role assignment of another organization
-- is no member of it and goes; an optional reference to another organization's client, team or
-- person is cleared.
UPDATE "payments" AS pay SET "org_id" = p."org_id" FROM "projects" AS p WHERE p."id" = pay."project_id" AND pay."org_id" <> p."org_id";
--> statement-breakpoint
DELETE FROM "project_members" AS pm USING "projects" AS p WHERE p."id" = pm."project_id" AND p."org_id" <> pm."org_id";
--> statement-breakpoint
DELETE FROM "team_members" AS tm USING "teams" AS t WHERE t."id" = tm."team_id" AND t."org_id" <> tm."org_id";
--> statement-breakpoint
DELETE FROM "membership_roles" AS mr USING "roles" AS r WHERE r."id" = mr."role_id" AND r."org_id" <> mr."org_id";
--> statement-breakpoint
UPDATE "projects" AS p SET "client_id" = NULL
WHERE p."client_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "clients" AS c WHERE c."org_id" = p."org_id" AND c."id" = p."client_id");
--> statement-breakpoint
UPDATE "projects" AS p SET "team_id" = NULL
WHERE p."team_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "teams" AS t WHERE t."org_id" = p."org_id" AND t."id" = p."team_id");
--> statement-breakpoint
UPDATE "projects" AS p SET "manager_id" = NULL
WHERE p."manager_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "memberships" AS m WHERE m."org_id" = p."org_id" AND m."user_id" = p."manager_id");
--> statement-breakpoint
UPDATE "teams" AS t SET "manager_id" = NULL
WHERE t."manager_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "memberships" AS m WHERE m."org_id" = t."org_id" AND m."user_id" = t."manager_id");
--> statement-breakpoint
UPDATE "clients" AS c SET "salesperson_id" = NULL
WHERE c."salesperson_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "memberships" AS m WHERE m."org_id" = c."org_id" AND m."user_id" = c."salesperson_id");
--> statement-breakpoint
UPDATE "clients" AS c SET "customer_user_id" = NULL
WHERE c."customer_user_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "memberships" AS m WHERE m."org_id" = c."org_id" AND m."user_id" = c."customer_user_id");
--> statement-breakpoint
-- 3. The single-column references give way to composite ones. An optional reference is cleared
-- alone when what it points at goes (`SET NULL (column)`, PostgreSQL 15 and later): the row keeps
-- its organization. Drizzle's schema says "set null"; only this file can name the column.
ALTER TABLE "membership_roles" DROP CONSTRAINT "membership_roles_role_id_roles_id_fk";
--> statement-breakpoint
ALTER TABLE "clients" DROP CONSTRAINT "clients_salesperson_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "clients" DROP CONSTRAINT "clients_customer_user_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "payments" DROP CONSTRAINT "payments_project_id_projects_id_fk";
--> statement-breakpoint
ALTER TABLE "project_members" DROP CONSTRAINT "project_members_project_id_projects_id_fk";
--> statement-breakpoint
ALTER TABLE "projects" DROP CONSTRAINT "projects_client_id_clients_id_fk";
--> statement-breakpoint
ALTER TABLE "projects" DROP CONSTRAINT "projects_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "projects" DROP CONSTRAINT "projects_manager_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "team_members" DROP CONSTRAINT "team_members_team_id_teams_id_fk";
--> statement-breakpoint
ALTER TABLE "teams" DROP CONSTRAINT "teams_manager_id_users_id_fk";
--> statement-breakpoint
ALTER TABLE "membership_roles" ADD CONSTRAINT "membership_roles_role_fk" FOREIGN KEY ("org_id","role_id") REFERENCES "public"."roles"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_salesperson_membership_fk" FOREIGN KEY ("org_id","salesperson_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("salesperson_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "clients" ADD CONSTRAINT "clients_customer_membership_fk" FOREIGN KEY ("org_id","customer_user_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("customer_user_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "project_members" ADD CONSTRAINT "project_members_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_client_fk" FOREIGN KEY ("org_id","client_id") REFERENCES "public"."clients"("org_id","id") ON DELETE SET NULL ("client_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_team_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE SET NULL ("team_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_manager_membership_fk" FOREIGN KEY ("org_id","manager_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("manager_id") ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "team_members" ADD CONSTRAINT "team_members_team_fk" FOREIGN KEY ("org_id","team_id") REFERENCES "public"."teams"("org_id","id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_manager_membership_fk" FOREIGN KEY ("org_id","manager_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("manager_id") ON UPDATE no action;
