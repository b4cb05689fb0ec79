-- Files held by an object of any module (ADR 0006): the owner is named by type and id, without a
-- foreign key, so the owner's table removes its files itself: each owner table gets a trigger
-- calling attachments_drop_with_owner('<type>') (projects in 0006), a backstop for any deletion
-- the application forgets. The stored bytes are removed by the application after commit.
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"owner_type" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"original_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"uploaded_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_size_not_negative" CHECK ("attachments"."size" >= 0)
);
--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploaded_by_id_users_id_fk" FOREIGN KEY ("uploaded_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "attachments_storage_key_key" ON "attachments" USING btree ("storage_key");--> statement-breakpoint
CREATE INDEX "attachments_owner_idx" ON "attachments" USING btree ("org_id","owner_type","owner_id","created_at");--> statement-breakpoint
CREATE OR REPLACE FUNCTION attachments_drop_with_owner() RETURNS trigger AS $$
BEGIN
  DELETE FROM attachments WHERE org_id = OLD.org_id AND owner_type = TG_ARGV[0] AND owner_id = OLD.id;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
