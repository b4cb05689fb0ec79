import { describe, expect, it } from "vitest";
import { compact, listSearchSchema, param } from "./listSearch";

const members = listSearchSchema(["joinedAt"], {
  status: param.oneOf(["active", "inactive"]),
  verified: param.flag(),
  project: param.id(),
});

describe("list state in the URL", () => {
  it("keeps what is valid and drops what is not, so any shared link parses", () => {
    expect(
      members.parse({ page: "3", pageSize: "50", search: "  ann ", ordering: "-joinedAt", status: "active" }),
    ).toEqual({ page: 3, pageSize: 50, search: "ann", ordering: "-joinedAt", status: "active" });
    expect(
      compact(
        members.parse({
          page: "-2",
          pageSize: "7",
          search: "",
          ordering: "password",
          status: "deleted",
          project: "../x",
        }),
      ),
    ).toEqual({});
  });

  it("leaves defaults out of the URL", () => {
    expect(compact(members.parse({ page: "1", pageSize: "20" }))).toEqual({});
    expect(compact({ page: undefined, search: "x", role: "" })).toEqual({ search: "x" });
  });

  it("reads flags and numbers from text or from a link's typed values", () => {
    expect(members.parse({ verified: "true", page: 2 })).toMatchObject({ verified: "true", page: 2 });
    expect(members.parse({ verified: false })).toMatchObject({ verified: "false" });
    expect(members.parse({ verified: "yes" }).verified).toBeUndefined();
    expect(members.parse({ search: 123 }).search).toBe("123");
  });

  it("accepts only known orderings, ascending or descending", () => {
    expect(members.parse({ ordering: "joinedAt" }).ordering).toBe("joinedAt");
    expect(members.parse({ ordering: "--joinedAt" }).ordering).toBeUndefined();
    expect(param.text(5).parse("abcdefgh")).toBe("abcde");
  });
});
