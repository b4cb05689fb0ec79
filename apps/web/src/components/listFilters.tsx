/**
 * The usual filters of a list (components/ListPage.tsx): a choice among a few values, a choice
 * among options the page loads (roles), and an object picked by searching the server (a client, a
 * project, a person). Each is a URL parameter with its control.
 */
import type { Permission } from "@cairn/shared";
import type { z } from "zod";
import type { PickerSource } from "../api/picker";
import { useContext } from "react";
import { OrgContext, useOrg } from "../app/org";
import { param } from "../lib/listSearch";
import type { Access } from "../lib/me";
import { AsyncCombobox } from "./AsyncCombobox";
import type { ListFilter } from "./ListPage";
import { cn } from "./ui/cn";
import { FilterSelect, type FilterOption } from "./ui/FilterSelect";

type Labels = {
  /** What the filter narrows by, for screen readers ("Status"). */
  label: string;
  /** The choice that clears it ("Any status"). */
  anyLabel: string;
};

/** One of a few fixed values, e.g. `?status=active`; hidden from callers without `permission`. */
export function choiceFilter<const T extends readonly [string, ...string[]]>({
  values,
  labels,
  permission,
  secondary,
  ...text
}: Labels & {
  values: T;
  labels: Record<T[number], string>;
  permission?: Permission;
  secondary?: boolean;
}) {
  const options = values.map((value: T[number]) => ({ value, label: labels[value] }));
  const schema = param.oneOf(values);
  const filter: ListFilter<typeof schema> = {
    schema,
    secondary,
    Control: function ChoiceControl({ value, onChange }) {
      const access = useContext(OrgContext)?.access;
      if (permission && !access?.can(permission) && !value) return null;
      return (
        <FilterSelect
          {...text}
          value={value}
          onChange={(next) => onChange(values.find((known) => known === next))}
          options={options}
        />
      );
    },
  };
  return filter;
}

/** One of the options a hook loads (the organization's roles), e.g. `?role=admin`. */
export function optionsFilter({
  useOptions,
  max = 40,
  ...text
}: Labels & { useOptions: () => readonly FilterOption[]; max?: number }) {
  const schema = param.text(max);
  const filter: ListFilter<typeof schema> = {
    schema,
    Control: function OptionsControl({ value, onChange }) {
      return <FilterSelect {...text} value={value} onChange={onChange} options={useOptions()} />;
    },
  };
  return filter;
}

/**
 * An object of the organization, picked by searching the server as one types, e.g. `?client=<id>`.
 * Hidden from callers without `permission` (they could not search for one), or when `picker` has no
 * source for them. `schema` replaces the id parameter (a label, `me`).
 */
export function pickerFilter<S extends z.ZodType<string | undefined> = ReturnType<typeof param.id>>({
  picker,
  permission,
  schema,
  secondary,
  ...text
}: Labels & {
  picker: (org: string, access: Access) => PickerSource | null;
  permission?: Permission;
  schema?: S;
  secondary?: boolean;
}) {
  const filter: ListFilter<S> = {
    schema: schema ?? (param.id() as unknown as S),
    secondary,
    Control: function PickerControl({ value, onChange }) {
      const { org, access } = useOrg();
      const source = picker(org.slug, access);
      if (!source || (permission && !access.can(permission) && !value)) return null;
      return (
        <AsyncCombobox
          source={source}
          value={value}
          onChange={(option) => onChange(option?.id as z.output<S>)}
          label={text.label}
          clearLabel={text.anyLabel}
          placeholder={text.anyLabel}
          className="w-full sm:w-52"
        />
      );
    },
  };
  return filter;
}

/** Some of a few fixed values, toggled on and off, e.g. `?status=todo&status=in_progress`. */
export function manyFilter<const T extends readonly [string, ...string[]]>({
  values,
  labels,
  label,
}: {
  label: string;
  values: T;
  labels: Record<T[number], string>;
}) {
  const schema = param.manyOf(values);
  const filter: ListFilter<typeof schema> = {
    schema,
    Control: function ManyControl({ value, onChange }) {
      const chosen = new Set<string>(value ?? []);
      const toggle = (item: T[number]) => {
        const next = values.filter((known) => (known === item ? !chosen.has(known) : chosen.has(known)));
        onChange(next.length ? next : undefined);
      };
      return (
        <div
          role="group"
          aria-label={label}
          className="inline-flex h-8.5 overflow-hidden rounded-md border border-zinc-300 bg-white text-sm shadow-xs"
        >
          {values.map((item: T[number]) => (
            <button
              key={item}
              type="button"
              aria-pressed={chosen.has(item)}
              onClick={() => toggle(item)}
              className={cn(
                "border-l border-zinc-200 px-2.5 whitespace-nowrap first:border-l-0",
                chosen.has(item)
                  ? "bg-accent-50 font-medium text-accent-700"
                  : "text-zinc-700 hover:bg-zinc-50",
              )}
            >
              {labels[item]}
            </button>
          ))}
        </div>
      );
    },
  };
  return filter;
}

/** A calendar date, e.g. `?dueBefore=2026-12-01`; `timestamp` keeps the day's start as an ISO time. */
export function dateFilter({
  label,
  timestamp = false,
  secondary,
}: {
  label: string;
  timestamp?: boolean;
  secondary?: boolean;
}) {
  const schema = timestamp ? param.timestamp() : param.date();
  const filter: ListFilter<typeof schema> = {
    schema,
    secondary,
    Control: function DateControl({ value, onChange }) {
      const day = value ? (timestamp ? localDay(value) : value) : "";
      return (
        <label className="inline-flex h-8.5 items-center gap-1.5 rounded-md border border-zinc-300 bg-white pl-2.5 text-sm text-zinc-600 shadow-xs">
          {label}
          <input
            type="date"
            value={day}
            onChange={(event) => {
              const next = event.target.value;
              onChange(next ? (timestamp ? new Date(`${next}T00:00:00`).toISOString() : next) : undefined);
            }}
            className="h-full rounded-r-md bg-transparent pr-1.5 text-zinc-900 focus:outline-none"
          />
        </label>
      );
    },
  };
  return filter;
}

/** The reader's calendar day of an ISO time. */
function localDay(value: string): string {
  const date = new Date(value);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 10);
}
