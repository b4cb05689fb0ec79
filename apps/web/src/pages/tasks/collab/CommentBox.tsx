import { MARKDOWN_MAX_LENGTH, renderMarkdown, type MentionTarget } from "@cairn/shared";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { collabApi, collabKeys, type Person } from "../../../api/collaboration";
import { Button } from "../../../components/ui/Button";
import { cn } from "../../../components/ui/cn";
import { Markdown } from "./Markdown";

/** The `@word` being typed just before the caret, if any. */
function mentionAt(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_.-]{0,40})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - (match[2]?.length ?? 0) - 1, query: match[2] ?? "" };
}

/** The last typed text, settled for a moment: suggestions are not fetched on every key. */
function useSettled<T>(value: T, delay = 150): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/**
 * Markdown with a preview and `@` suggestions: typing `@` offers the members who can see the task
 * (GET /api/tasks/{id}/mentionable), arrows choose, Enter or Tab inserts the username. The preview
 * is @cairn/shared's renderMarkdown, the very function the server renders comments with, with the
 * people chosen here shown as mentions (the server decides for good when it saves).
 */
export function CommentBox({
  taskId,
  label,
  initial = "",
  submitLabel,
  onSubmit,
  onCancel,
  autoFocus = false,
}: {
  taskId: string;
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (body: string) => Promise<boolean>;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState(initial);
  const [tab, setTab] = useState<"write" | "preview">("write");
  const [busy, setBusy] = useState(false);
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<ReadonlyMap<string, MentionTarget>>(new Map());
  const query = useSettled(mention?.query ?? null);
  const suggestions = useQuery({
    queryKey: collabKeys.mentionable(taskId, query ?? ""),
    queryFn: ({ signal }) => collabApi.mentionable(taskId, query ?? "", signal),
    enabled: query !== null,
    staleTime: 30_000,
  });
  const options = mention ? (suggestions.data?.items ?? []).slice(0, 8) : [];
  const open = options.length > 0;
  const listId = `${id}-mentions`;
  const tooLong = body.length > MARKDOWN_MAX_LENGTH;
  const preview = useMemo(
    () => (tab === "preview" ? renderMarkdown(body, { mentions: picked }) : ""),
    [tab, body, picked],
  );

  const track = (text: string, caret: number) => {
    setMention(mentionAt(text, caret));
    setActive(0);
  };

  const insert = (person: Person) => {
    if (!mention) return;
    const caret = area.current?.selectionStart ?? body.length;
    const next = `${body.slice(0, mention.start)}@${person.username} ${body.slice(caret)}`;
    setBody(next);
    setPicked((current) =>
      new Map(current).set(person.username.toLowerCase(), { id: person.id, username: person.username }),
    );
    setMention(null);
    const at = mention.start + person.username.length + 2;
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  };

  const submit = async () => {
    if (!body.trim() || tooLong || busy) return;
    setBusy(true);
    try {
      if (await onSubmit(body)) {
        setBody("");
        setPicked(new Map());
        setTab("write");
      }
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        setActive((index) => (index + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        const person = options[active];
        if (person) {
          event.preventDefault();
          insert(person);
          return;
        }
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setMention(null);
        return;
      }
    }
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void submit();
    }
    if (event.key === "Escape" && onCancel) onCancel();
  };

  return (
    <div className="rounded-md border border-zinc-200 focus-within:border-accent-500">
      <div
        role="tablist"
        aria-label={`${label}: write or preview`}
        className="flex gap-1 border-b border-zinc-100 px-2 pt-1.5"
      >
        {(["write", "preview"] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            className={cn(
              "rounded-t px-2.5 py-1 text-[13px] font-medium",
              tab === name
                ? "bg-white text-zinc-900 shadow-[inset_0_-2px] shadow-accent-600"
                : "text-zinc-500 hover:text-zinc-800",
            )}
          >
            {name === "write" ? "Write" : "Preview"}
          </button>
        ))}
      </div>
      {tab === "write" ? (
        <div className="relative">
          <textarea
            ref={area}
            aria-label={label}
            value={body}
            rows={4}
            autoFocus={autoFocus}
            placeholder="Write a comment… Markdown works; @ mentions someone who can see this task."
            className="block w-full resize-y rounded-b-md border-0 px-3 py-2 text-sm outline-none focus-visible:outline-none"
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={open ? `${listId}-${active}` : undefined}
            aria-invalid={tooLong}
            onChange={(event) => {
              setBody(event.target.value);
              track(event.target.value, event.target.selectionStart);
            }}
            onKeyDown={onKeyDown}
            onClick={(event) => track(body, event.currentTarget.selectionStart)}
            onBlur={() => setTimeout(() => setMention(null), 150)}
          />
          <ul
            id={listId}
            role="listbox"
            aria-label="People you can mention"
            hidden={!open}
            className="absolute top-full left-2 z-20 mt-1 w-72 overflow-hidden rounded-md border border-zinc-200 bg-white py-1 shadow-lg"
          >
            {options.map((person, index) => (
              <li
                key={person.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                onMouseDown={(event) => {
                  event.preventDefault();
                  insert(person);
                }}
                className={cn(
                  "cursor-pointer px-3 py-1.5 text-sm",
                  index === active ? "bg-accent-50 text-accent-700" : "text-zinc-800",
                )}
              >
                <span className="font-medium">@{person.username}</span>
                {person.displayName && person.displayName !== person.username ? (
                  <span className="ml-2 text-zinc-500">{person.displayName}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div className="min-h-[6.5rem] px-3 py-2" aria-label="Preview" role="tabpanel">
          {body.trim() ? (
            <Markdown html={preview} />
          ) : (
            <p className="text-sm text-zinc-500">Nothing to preview yet.</p>
          )}
        </div>
      )}
      <div className="flex items-center justify-between gap-2 border-t border-zinc-100 px-3 py-2">
        <span className={cn("text-xs tabular-nums", tooLong ? "font-medium text-red-600" : "text-zinc-500")}>
          {tooLong
            ? `${(body.length - MARKDOWN_MAX_LENGTH).toLocaleString("en")} characters too long`
            : "Ctrl+Enter sends"}
        </span>
        <div className="flex gap-2">
          {onCancel ? (
            <Button size="sm" onClick={onCancel}>
              Cancel
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="primary"
            loading={busy}
            disabled={!body.trim() || tooLong}
            onClick={() => void submit()}
          >
            {submitLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
