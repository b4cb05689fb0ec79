import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { MatrixFixture, MatrixUser } from "../../../test/matrix.js";

/**
 * Helpers shared by the work matrices and the cross-tenant suite. Projects, clients, teams and
 * members come from the factories of test/factories.ts (through the services, as their users);
 * `createVia` makes what has no factory (payments, uploaded files) over HTTP.
 */

export const PNG = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), randomBytes(64)]);

/** A multipart body with one file part, built by hand so the test controls every byte. */
export function multipart(filename: string, content: Buffer, claimedType = "application/octet-stream", field = "file") {
  // A fixed boundary: the matrix builds each request twice and both must agree.
  const boundary = "----cairn-test-boundary-7d41";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${claimedType}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

/** POSTs as a user and returns the new object's id, failing the setup loudly otherwise. */
export async function createVia(fx: Pick<MatrixFixture, "t">, token: string, url: string, payload: Record<string, unknown> | ReturnType<typeof multipart>): Promise<string> {
  const isUpload = "headers" in payload && Buffer.isBuffer(payload.payload);
  const response = await fx.t.request({ method: "POST", url, token, ...(isUpload ? payload : { payload }) });
  expect(response.statusCode, `${url}: ${response.body}`).toBe(201);
  return response.json<{ id: string }>().id;
}

/** Every caller a matrix runs as (anonymous aside), with a stable key for per-caller objects. */
export function matrixCallers(fx: MatrixFixture): Array<[string, MatrixUser]> {
  return [...Object.values(fx.users), fx.superuser, fx.outsider].map((user) => [user.username, user]);
}

/** The id of the object made for this caller (objects a request consumes, such as deletions). */
export function perCaller(fx: MatrixFixture, prefix: string, caller: MatrixUser | null): string {
  return fx.data[`${prefix}:${caller?.username ?? "anonymous"}`] ?? fx.data[`${prefix}:shared`] ?? "00000000-0000-4000-8000-000000000000";
}
