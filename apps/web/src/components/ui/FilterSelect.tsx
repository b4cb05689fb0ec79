import { useId } from "react";
import { cn } from "./cn";

export type FilterOption = { value: string; label: string };

type FilterSelectProps = {
  /** What the filter narrows by, for screen readers (the first option says it to everyone). */
  label: string;
  value: string | undefined;
  /** Receives undefined when the "any" option is chosen. */
  onChange: (value: string | undefined) => void;
  /** The first option, which clears the filter: "Any status", "All roles". */
  anyLabel: string;
  options: readonly FilterOption[];
  className?: string;
};

/** A compact select above a list that narrows it by one field; its state lives in the URL. */
export function FilterSelect({ label, value, onChange, anyLabel, options, className }: FilterSelectProps) {
  const id = useId();
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        value={value ?? ""}
        onChange={(event) => onChange(event.target.value || undefined)}
        className={cn(
          "h-8.5 max-w-56 rounded-md border border-zinc-300 bg-white px-2.5 text-sm shadow-xs",
          className,
        )}
      >
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
}
