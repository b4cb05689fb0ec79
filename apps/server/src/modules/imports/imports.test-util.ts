import type { ImportView } from "@cairn/shared";
import type { TestContext } from "../../../test/harness.js";

/** A multipart body with text fields and one file, in the order given. */
export function importForm(parts: Array<[string, string] | ["file", string | Buffer, string?]>) {
  const boundary = "----cairn-import-boundary-4f1c";
  const chunks: Buffer[] = [];
  for (const [name, value, filename] of parts) {
    const disposition = name === "file" ? `form-data; name="file"; filename="${filename ?? "tasks.csv"}"` : `form-data; name="${name}"`;
    const type = name === "file" ? "Content-Type: text/csv\r\n" : "";
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** Waits until an import has run (completed or failed), outside a test too (a matrix's setup); its last view. */
export async function waitForImport(t: TestContext, token: string, importId: string): Promise<ImportView> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const view = (await t.request({ method: "GET", url: `/api/imports/${importId}`, token })).json<ImportView>();
    if (view.status !== "queued" && view.status !== "running") return view;
    if (Date.now() > deadline) throw new Error(`import ${importId} still ${view.status} after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
