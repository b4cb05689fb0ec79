import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { Avatar } from "../../components/ui/Avatar";
import { Card } from "../../components/ui/PageHeader";
import { SkeletonText } from "../../components/ui/Skeleton";
import { projectKeys, projectsApi } from "../../api/projects";
import { useOrg } from "../../app/org";
import { errorMessage } from "../../lib/api";
import { EntryActor, EntryChanges, EntrySentence } from "../audit/entries";
import { formatDateTime, type ProjectDetail } from "./model";

/**
 * The project's story (GET /api/audit?project=…), newest first: its edits, members and files, and
 * its payments recorded, approved, rejected with the note, or withdrawn.
 */
export function ProjectActivity({ project }: { project: ProjectDetail }) {
  const { org } = useOrg();
  const entries = useQuery({
    queryKey: projectKeys.activity(project.id),
    queryFn: ({ signal }) => projectsApi.activity(project.id, signal),
  });
  const place = { org: org.slug, inProject: true };
  return (
    <Card
      title="Activity"
      actions={
        <Link
          to="/o/$org/audit"
          params={{ org: org.slug }}
          search={{ project: project.id }}
          className="text-[13px] font-medium text-accent-700 hover:underline"
        >
          Open in the audit log
        </Link>
      }
    >
      {entries.isLoading ? (
        <SkeletonText lines={3} />
      ) : !entries.data ? (
        <p className="text-sm text-red-700">{errorMessage(entries.error)}</p>
      ) : entries.data.items.length === 0 ? (
        <p className="text-sm text-zinc-500">Nothing recorded yet.</p>
      ) : (
        <ol className="relative space-y-3 border-l border-zinc-200 pl-4" aria-label="Activity">
          {entries.data.items.map((entry) => (
            <li key={entry.id} className="relative text-sm">
              <span className="absolute top-0.5 -left-[1.6rem]">
                <Avatar
                  name={entry.actor?.username ?? "Cairn"}
                  seed={entry.actor?.id ?? "system"}
                  size="xs"
                />
              </span>
              <p className="text-zinc-800">
                <EntryActor entry={entry} /> <EntrySentence entry={entry} place={place} />
                <time className="ml-2 text-xs text-zinc-500" dateTime={entry.createdAt}>
                  {formatDateTime(entry.createdAt)}
                </time>
              </p>
              <EntryChanges entry={entry} max={4} />
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
