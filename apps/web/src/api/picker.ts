/**
 * What an async picker (components/AsyncCombobox.tsx) asks a feature's api module: a page of
 * options matching the typed text, and the label of an id it was given (from a link or a saved
 * form). Each api module builds its picker with {@link pagedPicker}.
 */
import type { Page } from "../lib/api";

export type PickerOption = { id: string; label: string; hint?: string | undefined };

export type PickerSource = {
  /** The cache key of this source's answers; the typed text is appended. */
  key: readonly unknown[];
  /** Options matching `text` (server-side `?search=`), and how many match in all. */
  search: (text: string, signal: AbortSignal) => Promise<{ options: PickerOption[]; total: number }>;
  /** The option of an id that is not among the loaded ones. */
  resolve?: (id: string, signal: AbortSignal) => Promise<PickerOption>;
};

/** How many options one search shows; the picker says so when more match. */
export const PICKER_PAGE_SIZE = 20;

export function pagedPicker<T>({
  key,
  list,
  option,
  get,
}: {
  key: readonly unknown[];
  list: (query: { search: string | undefined; pageSize: number }, signal: AbortSignal) => Promise<Page<T>>;
  option: (row: T) => PickerOption;
  get?: (id: string, signal: AbortSignal) => Promise<T>;
}): PickerSource {
  return {
    key,
    search: async (text, signal) => {
      const page = await list({ search: text.trim() || undefined, pageSize: PICKER_PAGE_SIZE }, signal);
      return { options: page.items.map(option), total: page.total };
    },
    resolve: get ? async (id, signal) => option(await get(id, signal)) : undefined,
  };
}

type Person = { username: string; displayName?: string | undefined };

/** "Ada Lovelace (@ada)", or "@ada" without a display name. */
export const personLabel = (person: Person) =>
  person.displayName && person.displayName !== person.username
    ? `${person.displayName} (@${person.username})`
    : `@${person.username}`;
