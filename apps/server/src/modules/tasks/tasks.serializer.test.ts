import { serializerCompiler } from "fastify-type-provider-zod";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { taskOut } from "./tasks.schemas.js";
import { pageOf } from "../../platform/http/pagination.js";
import { compileResponse } from "../../platform/http/serializer.js";

const task = {
  id: "0b9a7c1e-5d3f-4e2a-9c8b-1a2b3c4d5e6f",
  orgId: "1b9a7c1e-5d3f-4e2a-9c8b-1a2b3c4d5e6f",
  projectId: null,
  key: "ME-3",
  number: 3,
  title: 'Quote "this" and \\ that \u2028 line',
  description: "<script>alert(1)</script>",
  status: "todo",
  priority: "urgent",
  assigneeId: null,
  reporterId: "2b9a7c1e-5d3f-4e2a-9c8b-1a2b3c4d5e6f",
  parentId: null,
  labels: ["ops", "q4"],
  position: 1536.5,
  dueDate: "2026-12-24",
  estimateMinutes: null,
  loggedMinutes: 0,
  blockedBy: [],
  openBlockers: 0,
  isBlocked: false,
  completedAt: null,
  createdAt: new Date("2026-11-30T08:23:01.110Z"),
  updatedAt: new Date("2026-12-01T00:00:00.000Z"),
  project: null,
  assignee: null,
  reporter: { id: "2b9a7c1e-5d3f-4e2a-9c8b-1a2b3c4d5e6f", username: "pm" },
  parent: null,
  subtasks: { total: 2, done: 1 },
  overdue: false,
  allowedActions: ["view", "update"],
};

describe("compileResponse", () => {
  const schema = pageOf(taskOut);
  const zodWrite = serializerCompiler({ schema, method: "GET", url: "/api/tasks", httpStatus: "200" }) as (
    data: unknown,
  ) => string;

  it("writes a page of tasks exactly as the zod serializer does", () => {
    const page = {
      items: [
        task,
        {
          ...task,
          completedAt: new Date("2026-12-01T10:00:00Z"),
          assignee: { id: task.id, username: "dev", displayName: "Dev" },
        },
      ],
      page: 1,
      pageSize: 20,
      total: 2,
    };
    expect(JSON.parse(compileResponse(schema)(page))).toEqual(JSON.parse(zodWrite(page)));
  });

  it("leaves out what the schema does not name, as zod does", () => {
    const written = JSON.parse(
      compileResponse(schema)({
        items: [{ ...task, passwordHash: "secret" }],
        page: 1,
        pageSize: 20,
        total: 1,
        debug: "sql",
      }),
    ) as { debug?: string; items: Array<{ passwordHash?: string }> };
    expect(written.debug).toBeUndefined();
    expect(written.items[0]?.passwordHash).toBeUndefined();
  });

  it("refuses a schema whose output only zod can compute", () => {
    expect(() =>
      compileResponse(z.object({ name: z.string().transform((value) => value.toUpperCase()) })),
    ).toThrow(/zod serializer/);
  });
});
