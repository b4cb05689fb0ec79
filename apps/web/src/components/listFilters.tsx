/**
 * The usual filters of a list (components/ListPage.tsx): a choice among a few values, a choice
 * among options the page loads (roles), and an object picked by searching the server (a client, a
 * project, a person). Each is a URL parameter with its control.
 */
import type { Permission } from "@cairn/shared";
import type { PickerSource } from "../api/picker";
import { useContext } from "react";
import { OrgContext, useOrg } from "../app/org";
import { param } from "../lib/listSearch";
import { AsyncCombobox } from "./AsyncCombobox";
import type { ListFilter } from "./ListPage";
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
  ...text
}: Labels & { values: T; labels: Record<T[number], string>; permission?: Permission }) {
  const options = values.map((value: T[number]) => ({ value, label: labels[value] }));
  const schema = param.oneOf(values);
  const filter: ListFilter<typeof schema> = {
    schema,
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
 * Hidden from callers without `permission` (they could not search for one).
 */
export function pickerFilter({
  picker,
  permission,
  ...text
}: Labels & { picker: (org: string) => PickerSource; permission?: Permission }) {
  const schema = param.id();
  const filter: ListFilter<typeof schema> = {
    schema,
    Control: function PickerControl({ value, onChange }) {
      const { org, access } = useOrg();
      if (permission && !access.can(permission) && !value) return null;
      return (
        <AsyncCombobox
          source={picker(org.slug)}
          value={value}
          onChange={(option) => onChange(option?.id)}
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
