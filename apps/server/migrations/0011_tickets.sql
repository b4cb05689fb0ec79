-- Support tickets with service levels (the tickets module, issue 14). Composite references keep every row
-- in its organization (ADR 0007); the SLA deadlines are stored, and partial indexes on them serve the
-- scheduled check and the `?sla=` filters.
CREATE TABLE "ticket_comments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"author_id" uuid,
	"body" text NOT NULL,
	"internal" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_comments_org_id_id_key" UNIQUE("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "ticket_sequences" (
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"last" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "ticket_sequences_org_id_project_id_pk" PRIMARY KEY("org_id","project_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_sla_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"business_hours" jsonb,
	"targets" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tickets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"severity" text DEFAULT 'medium' NOT NULL,
	"severity_rank" smallint GENERATED ALWAYS AS (case severity when 'low' then 0 when 'medium' then 1 when 'high' then 2 else 3 end) STORED NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"reporter_id" uuid,
	"assignee_id" uuid,
	"linked_task_id" uuid,
	"first_response_due_at" timestamp with time zone NOT NULL,
	"first_response_risk_at" timestamp with time zone NOT NULL,
	"resolution_due_at" timestamp with time zone NOT NULL,
	"resolution_risk_at" timestamp with time zone NOT NULL,
	"first_responded_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"paused_at" timestamp with time zone,
	"breached_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"at_risk_notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tickets_org_id_id_key" UNIQUE("org_id","id"),
	CONSTRAINT "tickets_project_number_key" UNIQUE("project_id","number"),
	CONSTRAINT "tickets_number_positive" CHECK ("tickets"."number" > 0)
);
--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_comments" ADD CONSTRAINT "ticket_comments_ticket_fk" FOREIGN KEY ("org_id","ticket_id") REFERENCES "public"."tickets"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_sequences" ADD CONSTRAINT "ticket_sequences_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_sla_settings" ADD CONSTRAINT "ticket_sla_settings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_reporter_id_users_id_fk" FOREIGN KEY ("reporter_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_project_fk" FOREIGN KEY ("org_id","project_id") REFERENCES "public"."projects"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_assignee_membership_fk" FOREIGN KEY ("org_id","assignee_id") REFERENCES "public"."memberships"("org_id","user_id") ON DELETE SET NULL ("assignee_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_linked_task_fk" FOREIGN KEY ("org_id","linked_task_id") REFERENCES "public"."tasks"("org_id","id") ON DELETE SET NULL ("linked_task_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ticket_comments_ticket_idx" ON "ticket_comments" USING btree ("ticket_id","created_at");--> statement-breakpoint
CREATE INDEX "tickets_org_created_idx" ON "tickets" USING btree ("org_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tickets_project_created_idx" ON "tickets" USING btree ("project_id","created_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "tickets_assignee_idx" ON "tickets" USING btree ("assignee_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tickets_reporter_idx" ON "tickets" USING btree ("reporter_id");--> statement-breakpoint
CREATE INDEX "tickets_linked_task_idx" ON "tickets" USING btree ("linked_task_id") WHERE "tickets"."linked_task_id" is not null;--> statement-breakpoint
CREATE INDEX "tickets_sla_resolution_idx" ON "tickets" USING btree ("resolution_due_at") WHERE "tickets"."escalated_at" is null and "tickets"."status" in ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "tickets_sla_first_response_idx" ON "tickets" USING btree ("first_response_due_at") WHERE "tickets"."escalated_at" is null and "tickets"."first_responded_at" is null and "tickets"."status" in ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "tickets_sla_breached_idx" ON "tickets" USING btree ("breached_at") WHERE "tickets"."escalated_at" is null and "tickets"."breached_at" is not null;--> statement-breakpoint
CREATE INDEX "tickets_sla_risk_idx" ON "tickets" USING btree ("resolution_risk_at") WHERE "tickets"."at_risk_notified_at" is null and "tickets"."status" in ('open', 'in_progress');--> statement-breakpoint
CREATE INDEX "tickets_sla_first_risk_idx" ON "tickets" USING btree ("first_response_risk_at") WHERE "tickets"."at_risk_notified_at" is null and "tickets"."first_responded_at" is null and "tickets"."status" in ('open', 'in_progress');--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_status_check" CHECK ("status" in ('open', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'));--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_severity_check" CHECK ("severity" in ('low', 'medium', 'high', 'critical'));--> statement-breakpoint
ALTER TABLE "ticket_sla_settings" ADD CONSTRAINT "ticket_sla_settings_targets_check" CHECK (jsonb_typeof("targets") = 'object');--> statement-breakpoint
-- Tickets and their comments hold files: the owner check finds them here, and a deleted ticket or comment
-- takes its files' rows with it.
INSERT INTO "attachment_owner_tables" ("owner_type", "table_name") VALUES ('ticket', 'tickets'), ('ticket_comment', 'ticket_comments');--> statement-breakpoint
CREATE TRIGGER tickets_drop_attachments AFTER DELETE ON "tickets" FOR EACH ROW EXECUTE FUNCTION attachments_drop_with_owner('ticket');--> statement-breakpoint
CREATE TRIGGER ticket_comments_drop_attachments AFTER DELETE ON "ticket_comments" FOR EACH ROW EXECUTE FUNCTION attachments_drop_with_owner('ticket_comment');--> statement-breakpoint
-- tickets.configure is new in the catalog: the default administrator role of every existing organization gets
-- it; the default project manager handles the tickets of their own projects only (DESIGN.md's matrix).
-- Organizations created from now on get both from the role catalog in packages/shared.
INSERT INTO "role_permissions" ("role_id", "permission", "scope")
SELECT "id", 'tickets.configure', 'all' FROM "roles" WHERE "is_system" AND "key" = 'admin'
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "role_permissions" SET "scope" = 'own'
WHERE "permission" = 'tickets.manage' AND "role_id" IN (SELECT "id" FROM "roles" WHERE "is_system" AND "key" = 'project_manager');
