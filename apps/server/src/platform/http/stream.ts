import { Readable } from "node:stream";

/**
 * A streamed download whose first chunks are read before a byte is sent. A report
 * that fails on its first query (a bad filter, a lost connection) then fails as a
 * problem+json with its status, not as a 200 holding a header row and nothing else.
 * A failure further on cannot change the status any more: Fastify logs it and destroys
 * the response, so the client sees an aborted transfer rather than a short file.
 */
export async function prefetchedStream(chunks: AsyncIterable<string>, prefetch = 2): Promise<Readable> {
  const iterator = chunks[Symbol.asyncIterator]();
  const head: string[] = [];
  let finished = false;
  while (head.length < prefetch) {
    const next = await iterator.next();
    if (next.done) {
      finished = true;
      break;
    }
    head.push(next.value);
  }
  async function* replay(): AsyncGenerator<string> {
    yield* head;
    if (finished) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return Readable.from(replay());
}
