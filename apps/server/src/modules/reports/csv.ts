/**
 * CSV cells as spreadsheets read them safely: quoted when needed, and a cell
 * that a spreadsheet would run as a formula (= + - @, tab, carriage return)
 * starts with an apostrophe instead (OWASP's CSV injection advice).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = value.toString();
  else text = JSON.stringify(value) ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** What a report reads per batch: each row's CSV line, and the keyset cursor it leaves. */
export type KeysetBatch<C> = Array<{ cursor: C; text: string }>;

/**
 * A report's lines: the header, then rows read in batches by keyset, each
 * batch in its own short transaction (`run`), yielded as they come. The file
 * is streamed, never built in memory, and no connection is held while the
 * client reads slowly.
 */
export async function* keysetLines<C, X>(
  run: <T>(work: (ctx: X) => Promise<T>) => Promise<T>,
  header: readonly unknown[],
  read: (ctx: X, after: C | null, limit: number) => Promise<KeysetBatch<C>>,
  batchSize = 500,
): AsyncGenerator<string> {
  yield csvLine(header);
  let after: C | null = null;
  for (;;) {
    const cursor: C | null = after;
    const batch: KeysetBatch<C> = await run((ctx) => read(ctx, cursor, batchSize));
    if (batch.length) yield batch.map((row) => row.text).join("");
    if (batch.length < batchSize) return;
    after = batch[batch.length - 1]?.cursor ?? null;
  }
}
