import { useQuery } from "@tanstack/react-query";
import { Avatar } from "../../components/ui/Avatar";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { projectKeys, projectsApi } from "../../api/projects";
import { errorMessage } from "../../lib/api";
import { formatDateTime, type ProjectDetail } from "./model";

const ACTIONS: Record<string, string> = {
  "project.created": "created the project",
  "project.updated": "edited the project",
  "project.status_changed": "changed the status",
  "project.member_added": "added a member",
  "project.member_removed": "removed a member",
  "project.file_uploaded": "uploaded a file",
  "project.file_deleted": "deleted a file",
  "payment.submitted": "recorded a payment",
  "payment.verified": "approved a payment",
  "payment.rejected": "rejected a payment",
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function describe(action: string): string {
  return ACTIONS[action] ?? action.replace(/^[a-z]+\./, "").replace(/[._]/g, " ");
}

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return JSON.stringify(value);
}

/** The project's audit trail (GET /api/audit?entityType=project&entityId=…), newest first. */
export function ProjectActivity({ project }: { project: ProjectDetail }) {
  const entries = useQuery({
    queryKey: projectKeys.activity(project.id),
    queryFn: ({ signal }) => projectsApi.activity(project.id, signal),
  });
  return (
    <Card title="Activity">
      {entries.isLoading ? (
        <SkeletonText lines={3} />
      ) : !entries.data ? (
        <p className="text-sm text-red-700">{errorMessage(entries.error)}</p>
      ) : entries.data.items.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing recorded yet.</p>
      ) : (
        <ol className="relative space-y-3 border-l border-zinc-200 pl-4" aria-label="Activity">
          {entries.data.items.map((entry) => {
            const who = entry.actor?.username ?? "System";
            // Only what changed; ids of people and files are left to the sentence.
            const changes = Object.entries(entry.changes)
              .filter(([, [before, after]]) => show(before) !== show(after))
              .filter(([, [, after]]) => !(typeof after === "string" && UUID.test(after)))
              .slice(0, 4);
            return (
              <li key={entry.id} className="relative text-sm">
                <span className="absolute top-0.5 -left-[1.6rem]">
                  <Avatar name={who} seed={entry.actor?.id ?? "system"} size="xs" />
                </span>
                <p className="text-zinc-800">
                  <span className="font-medium text-zinc-900">{entry.actor ? `@${who}` : who}</span>{" "}
                  {describe(entry.action)}
                  <time className="ml-2 text-xs text-zinc-500" dateTime={entry.createdAt}>
                    {formatDateTime(entry.createdAt)}
                  </time>
                </p>
                {changes.length ? (
                  <ul className="mt-0.5 space-y-0.5 text-xs text-zinc-500">
                    {changes.map(([field, [before, after]]) => (
                      <li key={field}>
                        {field}: <span className="line-through decoration-zinc-300">{show(before)}</span> →{" "}
                        <span className="text-zinc-700">{show(after)}</span>
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
