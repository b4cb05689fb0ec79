import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { PICKER_PAGE_SIZE, type PickerOption, type PickerSource } from "../api/picker";
import { errorMessage } from "../lib/api";
import { cn } from "./ui/cn";
import { Field } from "./ui/Field";
import { Icon } from "./ui/Icon";

type AsyncComboboxProps = {
  /** Where the options come from: a feature's picker (api/clients.ts `clientPicker(org)`, …). */
  source: PickerSource;
  /** The chosen id; undefined or "" when nothing is chosen. */
  value: string | undefined;
  onChange: (option: PickerOption | null) => void;
  /** The chosen option's label when the page knows it already (a saved form); else it is looked up. */
  selectedLabel?: string | undefined;
  /** The accessible name, when no `<label for>` names the input (filters above a list). */
  label?: string;
  /** Names the list of options when `label` is not given (the text of the field's `<label>`). */
  optionsLabel?: string | undefined;
  /** The first option, which clears the choice ("No customer account", "Any developer"). */
  clearLabel?: string;
  placeholder?: string;
  /** Ids that cannot be chosen here (people already in the team). */
  exclude?: readonly string[];
  id?: string;
  /** Lets a form focus the field of an error (lib/form.ts). */
  name?: string;
  disabled?: boolean;
  className?: string;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string | undefined;
};

const CLEAR = "";

/** Waits for typing to pause before searching, so the server sees words rather than every key. */
function useDebounced(value: string, delay: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}

/** Keeps the open list under the input, also inside a dialog that scrolls or clips. */
function usePopupPosition(open: boolean, anchor: RefObject<HTMLElement | null>) {
  const [rect, setRect] = useState<{ top: number; left: number; width: number } | null>(null);
  useLayoutEffect(() => {
    if (!open) return;
    const measure = () => {
      const box = anchor.current?.getBoundingClientRect();
      if (box) setRect({ top: box.bottom + 4, left: box.left, width: box.width });
    };
    measure();
    window.addEventListener("resize", measure);
    window.addEventListener("scroll", measure, true);
    return () => {
      window.removeEventListener("resize", measure);
      window.removeEventListener("scroll", measure, true);
    };
  }, [open, anchor]);
  return rect;
}

/**
 * Picks one person, client, team or project by searching the server as you type (WAI-ARIA combobox
 * with a listbox): arrow keys move through the options, Enter chooses, Escape closes and restores the
 * choice. Only the first {@link PICKER_PAGE_SIZE} matches load; the list says when more match,
 * instead of silently leaving them out.
 */
export function AsyncCombobox({
  source,
  value,
  onChange,
  selectedLabel,
  label,
  optionsLabel,
  clearLabel,
  placeholder = "Search…",
  exclude,
  id,
  name,
  disabled,
  className,
  ...aria
}: AsyncComboboxProps) {
  const ownId = useId();
  const inputId = id ?? ownId;
  const listId = `${inputId}-listbox`;
  const anchor = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [editing, setEditing] = useState(false);
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<PickerOption | null>(null);
  const query = useDebounced(editing ? text : "", 250);
  const position = usePopupPosition(open, anchor);

  const results = useQuery({
    queryKey: [...source.key, "search", query],
    queryFn: ({ signal }) => source.search(query, signal),
    enabled: open && !disabled,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });

  const known = chosen?.id === value ? chosen : results.data?.options.find((option) => option.id === value);
  const resolved = useQuery({
    queryKey: [...source.key, "resolve", value],
    queryFn: ({ signal }) => {
      if (!source.resolve || !value) throw new Error("Nothing to look up.");
      return source.resolve(value, signal);
    },
    enabled: Boolean(value && !selectedLabel && !known && source.resolve),
    staleTime: Infinity,
    retry: false,
  });
  const currentLabel = value
    ? (known?.label ?? selectedLabel ?? resolved.data?.label ?? (resolved.isError ? "Unknown" : "…"))
    : "";

  const matches = (results.data?.options ?? []).filter((option) => !exclude?.includes(option.id));
  const options: PickerOption[] = clearLabel ? [{ id: CLEAR, label: clearLabel }, ...matches] : matches;
  const total = results.data?.total ?? 0;
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (index: number) => `${inputId}-option-${index}`;

  const close = () => {
    setOpen(false);
    setEditing(false);
    setText("");
  };
  const choose = (option: PickerOption | undefined) => {
    if (!option) return;
    const next = option.id === CLEAR ? null : option;
    setChosen(next);
    onChange(next);
    close();
  };
  const openList = () => {
    if (disabled) return;
    setActive(0);
    setOpen(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!open) openList();
        else setActive((activeIndex + 1) % Math.max(options.length, 1));
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!open) openList();
        else setActive((activeIndex - 1 + options.length) % Math.max(options.length, 1));
        break;
      case "Enter":
        // Choosing an option must not submit the form around the picker.
        if (open) {
          event.preventDefault();
          choose(options[activeIndex]);
        }
        break;
      case "Escape":
        if (open || editing) {
          // Closes the list, not the dialog around it.
          event.preventDefault();
          event.stopPropagation();
          close();
        }
        break;
      case "Tab":
        if (open) close();
        break;
    }
  };

  const status = results.isError
    ? errorMessage(results.error)
    : results.isFetching && !results.data
      ? "Searching…"
      : matches.length === 0
        ? editing && text.trim()
          ? `Nothing matches “${text.trim()}”.`
          : "Nothing to choose from."
        : total > PICKER_PAGE_SIZE
          ? `The first ${PICKER_PAGE_SIZE} of ${total}: type to narrow.`
          : null;

  return (
    <div ref={anchor} className={cn("relative", className)}>
      <input
        id={inputId}
        name={name}
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options.length ? optionId(activeIndex) : undefined}
        aria-invalid={aria["aria-invalid"]}
        aria-describedby={aria["aria-describedby"]}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        placeholder={value ? undefined : placeholder}
        value={editing ? text : currentLabel}
        onChange={(event) => {
          setText(event.target.value);
          setEditing(true);
          setActive(clearLabel && event.target.value.trim() ? 1 : 0);
          setOpen(true);
        }}
        onClick={() => (open ? undefined : openList())}
        onFocus={(event) => event.target.select()}
        onBlur={close}
        onKeyDown={onKeyDown}
        className={cn(
          "block h-8.5 w-full rounded-md border bg-white pr-8 pl-2.5 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-500 focus:border-accent-500 focus:ring-2 focus:ring-accent-500/20 focus:outline-none disabled:bg-zinc-100 disabled:text-zinc-500",
          aria["aria-invalid"] ? "border-red-500" : "border-zinc-300",
        )}
      />
      <Icon
        name="chevronsUpDown"
        className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-400"
      />
      {open && position ? (
        <div
          className="fixed z-50 overflow-hidden rounded-md border border-zinc-200 bg-white text-sm shadow-lg"
          style={{ top: position.top, left: position.left, width: Math.max(position.width, 224) }}
        >
          <ul
            id={listId}
            role="listbox"
            aria-label={label ?? optionsLabel}
            className="max-h-64 overflow-y-auto py-1"
          >
            {options.map((option, index) => (
              <li
                key={option.id || "clear"}
                id={optionId(index)}
                role="option"
                aria-selected={option.id === (value ?? CLEAR)}
                className={cn(
                  "flex cursor-pointer items-center gap-2 px-2.5 py-1.5",
                  index === activeIndex && "bg-accent-50 text-accent-700",
                  option.id === CLEAR && "text-zinc-600",
                )}
                // Keeps the focus in the input, so the blur does not close the list first.
                onMouseDown={(event) => event.preventDefault()}
                onMouseEnter={() => setActive(index)}
                onClick={() => choose(option)}
              >
                <span className="min-w-0 flex-1 truncate">{option.label}</span>
                {option.hint ? <span className="text-xs text-zinc-500">{option.hint}</span> : null}
                {option.id === (value ?? CLEAR) ? (
                  <Icon name="check" className="size-4 text-accent-600" />
                ) : null}
              </li>
            ))}
          </ul>
          <p
            role="status"
            className={cn("px-2.5 text-xs text-zinc-500", status && "border-t border-zinc-100 py-1.5")}
          >
            {status}
          </p>
        </div>
      ) : null}
    </div>
  );
}

/**
 * A labelled picker bound to one field of a form (the chosen id, "" for none) with its error; the
 * clearing option's label is the placeholder too unless one is given.
 */
export function PickerField<N extends string>({
  form,
  name,
  label,
  hint,
  aside,
  className,
  ...picker
}: {
  form: {
    errors: Record<string, string | undefined>;
    values: Record<N, string>;
    setValue: (name: N, value: string) => void;
  };
  name: N;
  label: ReactNode;
  hint?: ReactNode;
  aside?: ReactNode;
  className?: string;
} & Omit<AsyncComboboxProps, "value" | "onChange" | "name" | "id" | "label" | "optionsLabel" | "className">) {
  return (
    <Field label={label} hint={hint} aside={aside} className={className} error={form.errors[name]}>
      {(props) => (
        <AsyncCombobox
          {...props}
          placeholder={picker.clearLabel}
          optionsLabel={typeof label === "string" ? label : undefined}
          {...picker}
          name={name}
          value={form.values[name]}
          onChange={(option) => form.setValue(name, option?.id ?? "")}
        />
      )}
    </Field>
  );
}
