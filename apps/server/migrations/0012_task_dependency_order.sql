CREATE SEQUENCE "public"."task_dep_rank_seq" INCREMENT BY 1048576 MINVALUE 1048576 MAXVALUE 9223372036854775807 START WITH 1048576 CACHE 1;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "dep_rank" double precision DEFAULT nextval('task_dep_rank_seq') NOT NULL;--> statement-breakpoint
CREATE INDEX "tasks_org_dep_rank_idx" ON "tasks" USING btree ("org_id","dep_rank");--> statement-breakpoint
-- Tasks that exist get their places in creation order: every dependency so far was written when its task
-- was created, after its blockers, so that order already puts each blocker first.
UPDATE "tasks" SET "dep_rank" = ranked."rn" * 1048576 FROM (SELECT "id", row_number() OVER (ORDER BY "created_at", "id") AS "rn" FROM "tasks") AS ranked WHERE "tasks"."id" = ranked."id";--> statement-breakpoint
SELECT setval('task_dep_rank_seq', (SELECT (count(*) + 1) * 1048576 FROM "tasks"), false);
