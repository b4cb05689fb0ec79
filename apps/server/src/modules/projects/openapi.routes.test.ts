import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, type TestContext } from "../../../test/harness.js";

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe("the OpenAPI document", () => {
  it("describes every work endpoint with its schemas", async () => {
    const response = await t.request({ method: "GET", url: "/api/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json<{ paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, unknown> } }>();
    const expected: Array<[string, string[]]> = [
      ["/api/teams/", ["get", "post"]],
      ["/api/teams/{id}", ["get", "patch", "delete"]],
      ["/api/teams/{id}/members/{userId}", ["post", "delete"]],
      ["/api/clients/", ["get", "post"]],
      ["/api/clients/{id}", ["get", "patch", "delete"]],
      ["/api/projects/", ["get", "post"]],
      ["/api/projects/{id}", ["get", "patch", "delete"]],
      ["/api/projects/{id}/status", ["patch"]],
      ["/api/projects/{id}/statistics", ["get"]],
      ["/api/projects/{id}/members", ["get", "post"]],
      ["/api/projects/{id}/members/{userId}", ["patch", "delete"]],
      ["/api/projects/{id}/payments", ["get", "post"]],
      ["/api/payments/{id}", ["get"]],
      ["/api/payments/{id}/verify", ["post"]],
      ["/api/projects/{id}/files", ["get", "post"]],
      ["/api/files/{id}/download", ["get"]],
      ["/api/files/{id}", ["delete"]],
      ["/api/audit/", ["get"]],
      ["/api/audit/{id}", ["get"]],
      ["/api/reports/projects.csv", ["get"]],
    ];
    for (const [path, methods] of expected) {
      const entry = document.paths[path] ?? document.paths[path.replace(/\/$/, "")];
      expect(entry, path).toBeDefined();
      for (const method of methods) expect(entry?.[method], `${method} ${path}`).toBeDefined();
    }
    for (const schema of ["Project", "ProjectDetail", "Payment", "ProjectFile", "Team", "Client", "AuditEntry", "ProjectStatistics"]) {
      expect(document.components.schemas[schema], schema).toBeDefined();
    }
  });
});
