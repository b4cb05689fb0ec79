-- An attachment's owner is checked by the database as a foreign key would be (ADR 0006): it must exist in
-- the attachment's own organization, in the table attachment_owner_tables names for its type. The owner
-- row is locked as a foreign key locks it (FOR KEY SHARE), so it cannot be deleted under the insert.
-- A refusal is a foreign_key_violation (23503). A module that declares an owner type adds its row (and
-- its table's attachments_drop_with_owner trigger, as 0006 does for projects) in its own migration.
CREATE TABLE "attachment_owner_tables" (
	"owner_type" text PRIMARY KEY NOT NULL,
	"table_name" text NOT NULL
);
--> statement-breakpoint
INSERT INTO "attachment_owner_tables" ("owner_type", "table_name") VALUES ('project', 'projects');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION attachments_check_owner() RETURNS trigger AS $$
DECLARE
  owner_table text;
  found_id uuid;
BEGIN
  SELECT "table_name" INTO owner_table FROM "attachment_owner_tables" WHERE "owner_type" = NEW.owner_type;
  IF owner_table IS NULL THEN
    RAISE EXCEPTION 'attachments: no owner table is declared for type %', NEW.owner_type
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'attachments_owner_in_org';
  END IF;
  EXECUTE format('SELECT id FROM %I WHERE org_id = $1 AND id = $2 FOR KEY SHARE', owner_table) INTO found_id USING NEW.org_id, NEW.owner_id;
  IF found_id IS NULL THEN
    RAISE EXCEPTION 'attachments: % % is not in organization %', NEW.owner_type, NEW.owner_id, NEW.org_id
      USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'attachments_owner_in_org';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER attachments_owner_in_org BEFORE INSERT OR UPDATE OF "org_id", "owner_type", "owner_id" ON "attachments" FOR EACH ROW EXECUTE FUNCTION attachments_check_owner();
