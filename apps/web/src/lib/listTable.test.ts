import { describe, expect, it } from "vitest";
import { listUpdater, localPage } from "./listTable";

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

describe("localPage", () => {
  const roles = [
    { key: "admin", name: "Administrator", permissions: 40 },
    { key: "developer", name: "Developer", permissions: 6 },
    { key: "customer", name: "Customer", permissions: 3 },
  ];
  const options = {
    text: (role: (typeof roles)[number]) => `${role.name} ${role.key}`,
    sort: {
      name: (role: (typeof roles)[number]) => role.name,
      permissions: (role: (typeof roles)[number]) => role.permissions,
    },
  };

  it("searches, sorts and cuts a whole list as the server would", () => {
    expect(localPage(roles, { page: 1, pageSize: 20, search: "DEV" }, options)).toEqual({
      items: [roles[1]],
      total: 1,
    });
    const sorted = localPage(roles, { page: 1, pageSize: 2, ordering: "-permissions" }, options);
    expect(sorted.items.map((role) => role.key)).toEqual(["admin", "developer"]);
    expect(sorted.total).toBe(3);
    expect(localPage(roles, { page: 2, pageSize: 2, ordering: "name" }, options).items).toEqual([roles[1]]);
  });
});
