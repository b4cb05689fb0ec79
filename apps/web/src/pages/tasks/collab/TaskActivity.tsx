import { useInfiniteQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { collabApi, collabKeys, type ActivityItem } from "../../../api/collaboration";
import { Avatar } from "../../../components/ui/Avatar";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/PageHeader";
import { SkeletonText } from "../../../components/ui/Skeleton";
import { errorMessage } from "../../../lib/api";
import { formatDate, formatDateTime } from "../../projects/model";
import {
  formatMinutes,
  PRIORITY_LABELS,
  STATUS_LABELS,
  type Task,
  type TaskPriority,
  type TaskStatus,
} from "../model";

/**
 * The task's story (GET /api/tasks/{id}/activity), oldest first: who created it, who changed what
 * from → to, files, time and comments, in words. Later pages load on demand.
 */
export function TaskActivity({ task }: { task: Task }) {
  const pages = useInfiniteQuery({
    queryKey: collabKeys.activity(task.id),
    queryFn: ({ pageParam, signal }) => collabApi.activity(task.id, pageParam, signal),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
  });
  const people: Record<string, string> = {};
  for (const page of pages.data?.pages ?? []) Object.assign(people, page.people);
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card title="Activity">
      {pages.isLoading ? (
        <SkeletonText lines={3} />
      ) : !pages.data ? (
        <p className="text-sm text-red-700">{errorMessage(pages.error)}</p>
      ) : (
        <>
          <ol className="relative space-y-3 border-l border-zinc-200 pl-4" aria-label="Activity">
            {items.map((item) => (
              <li key={`${item.type}-${item.id}`} className="relative text-sm">
                <span className="absolute top-0.5 -left-[1.6rem]">
                  <Avatar
                    name={item.actor?.username ?? "Cairn"}
                    seed={item.actor?.id ?? "system"}
                    size="xs"
                  />
                </span>
                <p className="text-zinc-800">
                  <strong className="font-medium text-zinc-900">
                    {item.actor ? `@${item.actor.username}` : "Cairn"}
                  </strong>{" "}
                  <Sentence item={item} people={people} />
                  <time className="ml-2 text-xs text-zinc-500" dateTime={item.createdAt}>
                    {formatDateTime(item.createdAt)}
                  </time>
                </p>
                <Details item={item} />
              </li>
            ))}
          </ol>
          {pages.hasNextPage ? (
            <Button
              size="sm"
              className="mt-3"
              loading={pages.isFetchingNextPage}
              onClick={() => void pages.fetchNextPage()}
            >
              Show more
            </Button>
          ) : null}
        </>
      )}
    </Card>
  );
}

type Words = { item: Extract<ActivityItem, { type: "event" }>; people: Record<string, string> };

const FIELD_NAMES: Record<string, string> = {
  title: "the title",
  description: "the description",
  status: "the status",
  priority: "the priority",
  assigneeId: "the assignee",
  dueDate: "the due date",
  estimateMinutes: "the estimate",
  labels: "the labels",
  parentId: "the parent task",
};

function who(people: Record<string, string>, id: unknown): string {
  return typeof id === "string" && people[id] ? `@${people[id]}` : "someone";
}

/** Any recorded value as text. */
const text = (raw: unknown): string => (typeof raw === "string" ? raw : (JSON.stringify(raw) ?? ""));

/** A value as a reader would say it. */
function value(field: string, raw: unknown, people: Record<string, string>): string {
  if (raw === null || raw === undefined || raw === "" || (Array.isArray(raw) && raw.length === 0))
    return "nothing";
  if (field === "status") return STATUS_LABELS[raw as TaskStatus] ?? text(raw);
  if (field === "priority") return PRIORITY_LABELS[raw as TaskPriority] ?? text(raw);
  if (field === "assigneeId") return who(people, raw);
  if (field === "dueDate" || field === "spentOn") return formatDate(text(raw));
  if (field === "estimateMinutes" || field === "minutes") return formatMinutes(Number(raw));
  if (Array.isArray(raw)) return raw.map(text).join(", ");
  const words = text(raw);
  return words.length > 60 ? `${words.slice(0, 59)}…` : words;
}

/** "status from To do to In progress; the assignee from nobody to @sam". */
function changeList({ item, people }: Words, skip: string[] = []): ReactNode {
  const fields = Object.keys(item.changes).filter((field) => !skip.includes(field) && field in FIELD_NAMES);
  if (!fields.length) return "edited the task";
  return (
    <>
      changed{" "}
      {fields.map((field, index) => {
        const [before, after] = item.changes[field] ?? [null, null];
        return (
          <span key={field}>
            {index > 0 ? "; " : ""}
            {FIELD_NAMES[field]}
            {field === "description" ? null : (
              <>
                {" "}
                from <strong className="font-medium">{value(field, before, people)}</strong> to{" "}
                <strong className="font-medium">{value(field, after, people)}</strong>
              </>
            )}
          </span>
        );
      })}
    </>
  );
}

const recorded = (item: Words["item"], field: string): unknown => {
  const change = item.changes[field];
  return change ? (change[1] ?? change[0]) : undefined;
};

const SENTENCES: Record<string, (words: Words) => ReactNode> = {
  "task.created": () => "created the task",
  "task.updated": (words) => changeList(words),
  "task.file_uploaded": ({ item }) => (
    <>
      attached <strong className="font-medium">{text(recorded(item, "name") ?? "a file")}</strong>
    </>
  ),
  "task.file_deleted": ({ item }) => (
    <>
      removed the file <strong className="font-medium">{text(recorded(item, "name") ?? "")}</strong>
    </>
  ),
  "task.time_logged": ({ item, people }) => (
    <>
      logged <strong className="font-medium">{value("minutes", recorded(item, "minutes"), people)}</strong>{" "}
      for {value("spentOn", recorded(item, "spentOn"), people)}
    </>
  ),
  "task.time_entry_changed": ({ item, people }) => {
    const minutes = item.changes.minutes;
    return minutes ? (
      <>
        changed a time entry from{" "}
        <strong className="font-medium">{value("minutes", minutes[0], people)}</strong> to{" "}
        <strong className="font-medium">{value("minutes", minutes[1], people)}</strong>
      </>
    ) : (
      "changed a time entry"
    );
  },
  "task.time_entry_deleted": ({ item, people }) => (
    <>
      deleted a time entry of{" "}
      <strong className="font-medium">{value("minutes", recorded(item, "minutes"), people)}</strong>
    </>
  ),
  "task.comment_edited": () => "edited a comment",
  "task.dependency_added": () => "made it wait for another task (a blocker)",
  "task.dependency_removed": () => "removed a blocker",
  "task.comment_deleted": ({ item, people }) => (
    <>deleted a comment by {who(people, recorded(item, "authorId"))}</>
  ),
};

function Sentence({ item, people }: { item: ActivityItem; people: Record<string, string> }) {
  if (item.type === "comment") return <>commented</>;
  const sentence = SENTENCES[item.action];
  if (sentence) return <>{sentence({ item, people })}</>;
  // Entries other modules add (dependencies, imports): their code, readable.
  return <>{item.action.replace(/^task\./, "").replace(/_/g, " ")}</>;
}

/** What a line shows below it: a comment's first words, an edited comment's text before. */
function Details({ item }: { item: ActivityItem }) {
  if (item.type === "comment") {
    // Its first words as plain text: the comment itself, rendered, is in Comments.
    const plain = item.comment.body.replace(/[*_`#>~]/g, "");
    return <p className="mt-0.5 line-clamp-2 text-[13px] text-zinc-600">{plain}</p>;
  }
  if (item.action === "task.comment_edited") {
    const [before] = item.changes.body ?? [];
    return typeof before === "string" ? (
      <p className="mt-0.5 line-clamp-3 text-[13px] whitespace-pre-line text-zinc-500">
        <span className="font-medium">It said before:</span> {before}
      </p>
    ) : null;
  }
  return null;
}
