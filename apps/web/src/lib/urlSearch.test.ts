import { describe, expect, it } from "vitest";
import { parseSearch, stringifySearch } from "./urlSearch";

describe("search parameters in the address bar", () => {
  it("writes filter values as they are, never JSON-quoted", () => {
    expect(stringifySearch({ verified: "true", page: 2, search: "123", ordering: "-name" })).toBe(
      "?verified=true&page=2&search=123&ordering=-name",
    );
    expect(stringifySearch({ search: "ann lee", unread: true })).toBe("?search=ann+lee&unread=true");
  });

  it("leaves empty values out of the address", () => {
    expect(stringifySearch({ search: undefined, role: "", page: null })).toBe("");
  });

  it("reads text back as text, for the routes' schemas to type", () => {
    expect(parseSearch("?verified=true&page=2&search=%22123%22&next=%2Fo%2Facme%3Fa%3D1")).toEqual({
      verified: "true",
      page: "2",
      search: '"123"',
      next: "/o/acme?a=1",
    });
    expect(parseSearch("status=a&status=b")).toEqual({ status: ["a", "b"] });
  });

  it("round-trips what it writes", () => {
    const search = { search: "50% off & more", client: "0b6a4c1e-2f7d-4a8e-9c3b-5d1f2e3a4b5c" };
    expect(parseSearch(stringifySearch(search))).toEqual(search);
  });
});
