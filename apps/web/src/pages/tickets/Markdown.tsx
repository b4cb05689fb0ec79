import { Fragment, type ReactNode } from "react";

/**
 * Markdown rendered safely: the text becomes React elements (paragraphs, lists, **bold**, *italic*,
 * `code`, code blocks and http(s) links), never HTML, so nothing a customer writes can run or
 * restyle the page.
 */
export function Markdown({ text }: { text: string }) {
  const blocks: ReactNode[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let index = 0; index < lines.length; ) {
    const line = lines[index] ?? "";
    if (line.startsWith("```")) {
      const code: string[] = [];
      for (index++; index < lines.length && !(lines[index] ?? "").startsWith("```"); index++) code.push(lines[index] ?? "");
      index++;
      blocks.push(
        <pre key={blocks.length} className="overflow-x-auto rounded-md bg-zinc-100 p-2 font-mono text-[12px]">
          {code.join("\n")}
        </pre>,
      );
    } else if (/^\s*[-*] /.test(line)) {
      const items: string[] = [];
      for (; index < lines.length && /^\s*[-*] /.test(lines[index] ?? ""); index++) items.push((lines[index] ?? "").replace(/^\s*[-*] /, ""));
      blocks.push(
        <ul key={blocks.length} className="list-disc space-y-0.5 pl-5">
          {items.map((item, at) => (
            <li key={at}>{inline(item)}</li>
          ))}
        </ul>,
      );
    } else if (line.trim() === "") {
      index++;
    } else {
      const paragraph: string[] = [];
      for (; index < lines.length && (lines[index] ?? "").trim() !== "" && !/^\s*[-*] |^```/.test(lines[index] ?? ""); index++) paragraph.push(lines[index] ?? "");
      blocks.push(
        <p key={blocks.length}>
          {paragraph.map((part, at) => (
            <Fragment key={at}>
              {at > 0 ? <br /> : null}
              {inline(part)}
            </Fragment>
          ))}
        </p>,
      );
    }
  }
  return <div className="space-y-2 text-sm leading-relaxed break-words text-zinc-800">{blocks}</div>;
}

const TOKEN = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|\[[^\]]+\]\(https?:\/\/[^\s)]+\))/g;

function inline(text: string): ReactNode[] {
  return text.split(TOKEN).map((part, index) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 2)
      return (
        <code key={index} className="rounded bg-zinc-100 px-1 font-mono text-[12px]">
          {part.slice(1, -1)}
        </code>
      );
    if (part.startsWith("**") && part.endsWith("**") && part.length > 4) return <strong key={index}>{part.slice(2, -2)}</strong>;
    if (part.startsWith("*") && part.endsWith("*") && part.length > 2) return <em key={index}>{part.slice(1, -1)}</em>;
    const link = /^\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)$/.exec(part);
    if (link)
      return (
        <a key={index} href={link[2]} target="_blank" rel="noopener noreferrer nofollow" className="text-accent-700 underline">
          {link[1]}
        </a>
      );
    return <Fragment key={index}>{part}</Fragment>;
  });
}
