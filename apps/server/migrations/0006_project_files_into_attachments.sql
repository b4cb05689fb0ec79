-- Project files become attachments owned by their project (ADR 0006). Each keeps its id, so every
-- download URL handed out before still works, its storage key (the bytes do not move), its name,
-- type, size, uploader and date. Its organization is taken from its project: a row that disagreed
-- could only come from a bug, and the project is what the file belongs to.
INSERT INTO "attachments" ("id", "org_id", "owner_type", "owner_id", "storage_key", "original_name", "content_type", "size", "uploaded_by_id", "created_at")
SELECT f."id", p."org_id", 'project', f."project_id", f."storage_key", f."original_name", f."content_type", f."size", f."uploaded_by_id", f."created_at"
FROM "project_files" f
JOIN "projects" p ON p."id" = f."project_id";
--> statement-breakpoint
CREATE TRIGGER projects_drop_attachments AFTER DELETE ON "projects" FOR EACH ROW EXECUTE FUNCTION attachments_drop_with_owner('project');
--> statement-breakpoint
DROP TABLE "project_files" CASCADE;
