import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOrg, buildProject, buildTask, buildUser, type BuiltUser } from "../../../test/factories.js";
import { createTestContext, type TestContext } from "../../../test/harness.js";

/**
 * Links written at the same moment never close a loop between them. On
 * PostgreSQL (run with DATABASE_URL) the requests really race, each in its own
 * connection; on PGlite they are served one after the other and the same
 * assertions hold.
 */

let t: TestContext;
let manager: BuiltUser;
let projectId: string;

beforeAll(async () => {
  t = await createTestContext();
  const org = await buildOrg(t);
  manager = await buildUser(t, { orgId: org.id, roles: ["project_manager"] });
  projectId = (await buildProject(t, { orgId: org.id, by: manager })).id;
});
afterAll(() => t.close());

const newTask = async (title: string) => (await buildTask(t, { projectId, title, by: manager })).id;
const link = (taskId: string, dependsOnId: string) =>
  t.request({
    method: "POST",
    url: `/api/tasks/${taskId}/dependencies`,
    token: manager.token,
    payload: { dependsOnId },
  });

/** Whether the links of these tasks hold a loop, read from the database. */
async function hasLoop(ids: string[]): Promise<boolean> {
  const result: unknown = await t.services.database.db.execute(sql`
    with recursive walk(start, id, depth) as (
      select task_id, depends_on_id, 1 from task_dependencies where task_id = any(${sql.param(ids)}::uuid[])
      union all
      select w.start, d.depends_on_id, w.depth + 1 from task_dependencies d join walk w on d.task_id = w.id where w.depth < 50
    ) select exists (select 1 from walk where start = id) as loop`);
  return (result as { rows: Array<{ loop: boolean }> }).rows[0]?.loop ?? false;
}

describe("dependencies written at once", () => {
  it("A waits for B and B waits for A, sent together: exactly one is written, the other is a 409 naming the loop", async () => {
    for (let round = 0; round < 6; round++) {
      const a = await newTask(`A${round}`);
      const b = await newTask(`B${round}`);
      const responses = await Promise.all([link(a, b), link(b, a)]);
      const statuses = responses.map((response) => response.statusCode).sort();
      expect(statuses, responses.map((response) => response.body).join("\n")).toEqual([201, 409]);
      expect(
        responses.find((response) => response.statusCode === 409)?.json<{ detail: string }>().detail,
      ).toMatch(/→ .* → /);
      expect(await hasLoop([a, b])).toBe(false);
    }
  });

  it("a ring of links sent together (A→B, B→C, C→D, D→A) leaves no loop, and all but one are written", async () => {
    for (let round = 0; round < 4; round++) {
      const ring = [await newTask("R1"), await newTask("R2"), await newTask("R3"), await newTask("R4")];
      // Each round sends them in another order, so links against the order of creation race too.
      const order = ring.map((_, index) => (index + round) % ring.length);
      const responses = await Promise.all(
        order.map((index) => link(ring[index] as string, ring[(index + 1) % ring.length] as string)),
      );
      const written = responses.filter((response) => response.statusCode === 201).length;
      expect(
        responses.every((response) => response.statusCode === 201 || response.statusCode === 409),
        responses.map((response) => response.body).join("\n"),
      ).toBe(true);
      expect(written).toBe(3);
      expect(await hasLoop(ring)).toBe(false);
    }
  });
});
