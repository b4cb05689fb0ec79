/**
 * A comment's HTML, as @cairn/shared's renderMarkdown made it (on the server, or in the browser for a
 * preview): markdown-it with raw HTML off, http(s) and mailto links only, no images (ADR 0009). It is
 * the only HTML the app inserts, and it holds no tag the renderer did not write.
 */
export function Markdown({ html }: { html: string }) {
  // renderMarkdown's output: safe by construction (ADR 0009).
  return (
    <div
      className="markdown text-sm leading-relaxed break-words text-zinc-800"
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
