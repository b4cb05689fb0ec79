import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { TestContext } from "../../../test/harness.js";
import { tasks } from "./tasks.table.js";

/**
 * Helpers shared by the task suites (matrix, cross-tenant, concurrency,
 * realtime, the lists property): the task as the API returns it, requests
 * that must succeed, and rows written straight into the table where no
 * caller could write them through the API.
 */

export type ApiTask = {
  id: string;
  orgId: string;
  projectId: string | null;
  key: string;
  number: number;
  status: string;
  priority: string;
  title: string;
  description: string;
  assigneeId: string | null;
  reporterId: string | null;
  parentId: string | null;
  labels: string[];
  position: number;
  dueDate: string | null;
  blockedBy: string[];
  updatedAt: string;
  allowedActions: string[];
};

/**
 * A personal task of `reporterId` written straight into the table: for someone
 * who may not keep personal tasks (any more), which the API would refuse to
 * create. Its number is the next of the person's, as the API would give it.
 */
export async function plantPersonalTask(t: TestContext, input: { orgId: string; reporterId: string; title: string }): Promise<string> {
  const { db } = t.services.database;
  const [row] = await db
    .insert(tasks)
    .values({
      ...input,
      projectId: null,
      number: sql`(select coalesce(max(number), 0) + 1 from tasks where org_id = ${input.orgId} and reporter_id = ${input.reporterId} and project_id is null)`,
    })
    .returning({ id: tasks.id });
  if (!row) throw new Error("planting a personal task returned nothing");
  return row.id;
}

/** Sends a request that must answer `status`, and returns its body. */
export async function expectStatus<T>(t: TestContext, status: number, options: Parameters<TestContext["request"]>[0]): Promise<T> {
  const response = await t.request(options);
  expect(response.statusCode, `${options.method ?? "GET"} ${typeof options.url === "string" ? options.url : "(url)"}: ${response.body}`).toBe(status);
  return (response.body ? response.json() : null) as T;
}

/** POST /api/tasks as `token`, which must create the task. */
export function createTaskVia(t: TestContext, token: string, payload: Record<string, unknown>): Promise<ApiTask> {
  return expectStatus<ApiTask>(t, 201, { method: "POST", url: "/api/tasks", token, payload });
}
