import { describe, expect, it } from "vitest";
import { listUpdater } from "./listTable";

type Search = { page?: number; pageSize?: number; search?: string; status?: string; ordering?: string };

/** Runs one update against `previous` and returns what the page would navigate to. */
function navigateWith(previous: Search, patch: Partial<Search>, options?: { keepPage?: boolean }) {
  const calls: Array<{ search: Search; replace: boolean | undefined }> = [];
  const update = listUpdater<Search>((navigation) => {
    calls.push({ search: navigation.search(previous), replace: navigation.replace });
    return Promise.resolve();
  });
  update(patch, options);
  expect(calls).toHaveLength(1);
  return calls[0];
}

describe("listUpdater", () => {
  it("goes back to page 1 when a filter changes, in place in the history", () => {
    expect(navigateWith({ page: 3, search: "ann" }, { status: "active" })).toEqual({
      search: { search: "ann", status: "active" },
      replace: true,
    });
  });

  it("keeps the page when asked (sorting) and drops emptied values", () => {
    expect(
      navigateWith({ page: 3, search: "ann" }, { ordering: "-name", search: "" }, { keepPage: true }),
    ).toEqual({
      search: { page: 3, ordering: "-name" },
      replace: true,
    });
  });

  it("adds a history entry when the page itself changes", () => {
    expect(navigateWith({ page: 2 }, { page: 3 }, { keepPage: true })).toEqual({
      search: { page: 3 },
      replace: false,
    });
  });
});
