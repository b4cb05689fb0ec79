ALTER TABLE "roles" ADD COLUMN "developer_track" text;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_developer_track_check" CHECK ("roles"."developer_track" in ('unverified', 'verified'));--> statement-breakpoint
-- The default roles of every existing organization take their place on the developer track
-- (organizations created from now on get it from the role catalog in packages/shared).
UPDATE "roles" SET "developer_track" = 'unverified' WHERE "is_system" AND "key" = 'developer';--> statement-breakpoint
UPDATE "roles" SET "developer_track" = 'verified' WHERE "is_system" AND "key" = 'verified_developer';
