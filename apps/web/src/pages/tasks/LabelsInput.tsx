import { taskLabel, TASK_LABELS_PER_TASK } from "@cairn/shared";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type KeyboardEvent } from "react";
import { taskKeys, tasksApi } from "../../api/tasks";
import { useOrg } from "../../app/org";
import { cn } from "../../components/ui/cn";
import { Icon } from "../../components/ui/Icon";

/**
 * Labels as chips: type one and press Enter (or a comma) to add it, with the organization's labels
 * suggested as you type; each chip has its remove button. Labels are checked as the API checks them.
 */
export function LabelsInput({
  id,
  value,
  onChange,
  disabled,
  className,
  ...aria
}: {
  id?: string;
  value: readonly string[];
  onChange: (labels: string[]) => void;
  disabled?: boolean;
  className?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string | undefined;
  "aria-label"?: string;
}) {
  const { org } = useOrg();
  const ownId = useId();
  const listId = `${id ?? ownId}-suggestions`;
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const suggestions = useQuery({
    queryKey: [...taskKeys.labels(org.slug), text.trim()],
    queryFn: ({ signal }) => tasksApi.labels({ org: org.slug, search: text.trim() || undefined }, signal),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
    enabled: !disabled,
  });

  const add = (raw: string) => {
    const parsed = taskLabel.safeParse(raw);
    if (!raw.trim()) return;
    if (!parsed.success) {
      setProblem(parsed.error.issues[0]?.message ?? "Not a label.");
      return;
    }
    setProblem(null);
    setText("");
    if (value.some((label) => label.toLowerCase() === parsed.data.toLowerCase())) return;
    if (value.length >= TASK_LABELS_PER_TASK) {
      setProblem(`At most ${TASK_LABELS_PER_TASK} labels.`);
      return;
    }
    onChange([...value, parsed.data]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add(text);
    } else if (event.key === "Backspace" && text === "" && value.length) {
      onChange(value.slice(0, -1));
    }
  };

  const known = (suggestions.data?.items ?? [])
    .map((item) => item.name)
    .filter((name) => !value.some((label) => label.toLowerCase() === name.toLowerCase()));

  return (
    <div className={className}>
      <div
        className={cn(
          "flex min-h-8.5 flex-wrap items-center gap-1 rounded-md border bg-white px-1.5 py-1 shadow-xs focus-within:border-accent-500 focus-within:ring-2 focus-within:ring-accent-500/20",
          aria["aria-invalid"] || problem ? "border-red-500" : "border-zinc-300",
          disabled && "bg-zinc-100",
        )}
      >
        {value.map((label) => (
          <span
            key={label}
            className="inline-flex items-center gap-0.5 rounded bg-zinc-100 py-px pr-0.5 pl-1.5 text-xs text-zinc-800 ring-1 ring-zinc-200 ring-inset"
          >
            {label}
            {disabled ? null : (
              <button
                type="button"
                className="rounded p-0.5 text-zinc-500 hover:bg-zinc-200 hover:text-zinc-900"
                aria-label={`Remove label ${label}`}
                onClick={() => onChange(value.filter((item) => item !== label))}
              >
                <Icon name="x" className="size-3" />
              </button>
            )}
          </span>
        ))}
        <input
          id={id}
          type="text"
          list={listId}
          value={text}
          disabled={disabled}
          placeholder={value.length ? "" : "Add a label…"}
          aria-label={aria["aria-label"]}
          aria-invalid={aria["aria-invalid"] || Boolean(problem)}
          aria-describedby={aria["aria-describedby"]}
          onChange={(event) => {
            const next = event.target.value;
            const typed = event.nativeEvent;
            // A suggestion chosen from the list arrives whole, not typed: add it at once.
            const chosen = !(typed instanceof InputEvent) || typed.inputType === "insertReplacementText";
            if (chosen && known.includes(next)) add(next);
            else setText(next);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => add(text)}
          className="h-6 min-w-24 flex-1 bg-transparent px-1 text-sm text-zinc-900 placeholder:text-zinc-500 focus:outline-none"
        />
        <datalist id={listId}>
          {known.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      {problem ? <p className="mt-1 text-[13px] text-red-600">{problem}</p> : null}
    </div>
  );
}
