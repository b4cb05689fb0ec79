-- Tasks (the tasks module). Titles are searched by substring through a trigram index within an
-- organization (pg_trgm and btree_gin, trusted extensions the database owner may create; PGlite loads
-- them from its contrib build).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE TABLE "task_dependencies" (
	"org_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"depends_on_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_dependencies_task_id_depends_on_id_pk" PRIMARY KEY("task_id","depends_on_id"),
	CONSTRAINT "task_dependencies_not_self" CHECK ("task_dependencies"."task_id" <> "task_dependencies"."depends_on_id")
);
--> statement-breakpoint
CREATE TABLE "task_labels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "task_sequences" (
	"org_id" uuid NOT NULL,
	"scope_id" uuid NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "task_sequences_org_id_scope_id_pk" PRIMARY KEY("org_id","scope_id")
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'todo' NOT NULL,
	"priority" text DEFAULT 'medium' NOT NULL,
	"priority_rank" smallint GENERATED ALWAYS AS (case priority when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end) STORED NOT NULL,
	"assignee_id" uuid,
	"reporter_id" uuid,
	"parent_id" uuid,
	"labels" text[] DEFAULT '{}'::text[] NOT NULL,
	"position" double precision DEFAULT 0 NOT NULL,
	"due_date" date,
	"estimate_minutes" integer,
	"logged_minutes" integer DEFAULT 0 NOT NULL,
	"external_id" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tasks_org_id_id_key" UNIQUE("org_id","id"),
	CONSTRAINT "tasks_number_positive" CHECK ("tasks"."number" > 0),
	CONSTRAINT "tasks_estimate_range" CHECK ("tasks"."estimate_minutes" is null or "tasks"."estimate_minutes" >= 0),
	CONSTRAINT "tasks_not_own_parent" CHECK ("tasks"."parent_id" is null or "tasks"."parent_id" <> "tasks"."id")
);
--> statement-breakpoint
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_task_fk" FOREIGN KEY ("org_id","task_id") REFERENCES "public"."tasks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_dependencies" ADD CONSTRAINT "task_dependencies_blocker_fk" FOREIGN KEY ("org_id","depends_on_id") REFERENCES "public"."tasks"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_labels" ADD CONSTRAINT "task_labels_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_sequences" ADD CONSTRAINT "task_sequences_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_assignee_membership_fk" FOREIGN KEY ("org_id","assignee_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("assignee_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_parent_fk" FOREIGN KEY ("org_id","parent_id") REFERENCES "public"."tasks"("org_id","id") ON DELETE SET NULL ("parent_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_dependencies_blocker_idx" ON "task_dependencies" USING btree ("depends_on_id");--> statement-breakpoint
CREATE UNIQUE INDEX "task_labels_org_name_key" ON "task_labels" USING btree ("org_id",lower("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_project_number_key" ON "tasks" USING btree ("project_id","number") WHERE "tasks"."project_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_personal_number_key" ON "tasks" USING btree ("org_id","reporter_id","number") WHERE "tasks"."project_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_project_external_key" ON "tasks" USING btree ("project_id","external_id") WHERE "tasks"."external_id" is not null;--> statement-breakpoint
CREATE INDEX "tasks_project_status_created_idx" ON "tasks" USING btree ("project_id","status","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tasks_project_created_idx" ON "tasks" USING btree ("project_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tasks_assignee_created_idx" ON "tasks" USING btree ("assignee_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tasks_org_created_idx" ON "tasks" USING btree ("org_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tasks_board_idx" ON "tasks" USING btree ("project_id","status","position");--> statement-breakpoint
CREATE INDEX "tasks_personal_idx" ON "tasks" USING btree ("reporter_id","created_at" DESC NULLS LAST) WHERE "tasks"."project_id" is null;--> statement-breakpoint
CREATE INDEX "tasks_parent_idx" ON "tasks" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "tasks_org_due_idx" ON "tasks" USING btree ("org_id","due_date") WHERE "tasks"."status" <> 'done';--> statement-breakpoint
CREATE INDEX "tasks_org_title_trgm_idx" ON "tasks" USING gin ("org_id","title" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "tasks_labels_idx" ON "tasks" USING gin ("labels");--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_status_check" CHECK ("status" in ('todo', 'in_progress', 'done'));--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_priority_check" CHECK ("priority" in ('low', 'medium', 'high', 'urgent'));--> statement-breakpoint
-- Task attachments (the task collaboration work) are owned by tasks: the owner check finds them here, and
-- a deleted task takes its files' rows with it.
INSERT INTO "attachment_owner_tables" ("owner_type", "table_name") VALUES ('task', 'tasks');--> statement-breakpoint
CREATE TRIGGER tasks_drop_attachments AFTER DELETE ON "tasks" FOR EACH ROW EXECUTE FUNCTION attachments_drop_with_owner('task');--> statement-breakpoint
-- tasks.oversee is new in the catalog: the default administrator role of every existing organization gets it
-- (organizations created from now on get it from the role catalog in packages/shared).
INSERT INTO "role_permissions" ("role_id", "permission", "scope")
SELECT "id", 'tasks.oversee', 'all' FROM "roles" WHERE "is_system" AND "key" = 'admin'
ON CONFLICT DO NOTHING;