import { describe, expect, it } from "vitest";
import { compact, enumParam, orderingParam, parseListSearch } from "./listSearch";

describe("list state in the URL", () => {
  it("keeps what is valid and drops what is not, so any shared link parses", () => {
    expect(
      parseListSearch({ page: "3", pageSize: 50, search: "  ann ", ordering: "-joinedAt" }, ["joinedAt"]),
    ).toEqual({
      page: 3,
      pageSize: 50,
      search: "ann",
      ordering: "-joinedAt",
    });
    expect(
      parseListSearch({ page: "-2", pageSize: 7, search: "", ordering: "password" }, ["joinedAt"]),
    ).toEqual({
      page: undefined,
      pageSize: undefined,
      search: undefined,
      ordering: undefined,
    });
  });

  it("leaves defaults out of the URL", () => {
    expect(parseListSearch({ page: 1, pageSize: 20 }, [])).toMatchObject({
      page: undefined,
      pageSize: undefined,
    });
    expect(compact({ page: undefined, search: "x", role: "" })).toEqual({ search: "x" });
  });

  it("accepts only known values for filters and ordering", () => {
    expect(enumParam("active", ["active", "inactive"] as const)).toBe("active");
    expect(enumParam("deleted", ["active", "inactive"] as const)).toBeUndefined();
    expect(orderingParam("username", ["username"])).toBe("username");
    expect(orderingParam("--username", ["username"])).toBeUndefined();
  });
});
