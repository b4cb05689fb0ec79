import { describe, expect, it } from "vitest";
import { findMentions, MARKDOWN_MAX_LENGTH, renderMarkdown, type MentionTarget } from "./markdown.js";

const people = (...names: string[]): Map<string, MentionTarget> =>
  new Map(names.map((name, index) => [name.toLowerCase(), { id: `00000000-0000-4000-8000-00000000000${index}`, username: name }]));

/** Every tag the HTML opens. */
const tags = (html: string) => [...html.matchAll(/<([a-z0-9]+)/gi)].map((match) => match[1]?.toLowerCase());

/** The attributes of every tag the HTML opens (text is escaped, so each `<` opens a real tag). */
const attributes = (html: string) =>
  [...html.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)].flatMap((match) =>
    [...(match[1] ?? "").matchAll(/([a-z-]+)="/gi)].map((attribute) => attribute[1]?.toLowerCase()),
  );

const ALLOWED_ATTRIBUTES = new Set(["href", "target", "rel", "class", "data-user-id", "start"]);

const ALLOWED_TAGS = new Set(["p", "br", "strong", "em", "code", "pre", "a", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "span", "table", "thead", "tbody", "tr", "th", "td", "s"]);

describe("renderMarkdown: what a comment may show", () => {
  it("renders the usual Markdown: emphasis, lists, code, quotes, headings, links", () => {
    const html = renderMarkdown("# Plan\n\n**bold** *it* `x<y`\n\n- one\n- two\n\n> quoted\n\n```\nconst a = 1 < 2;\n```\n\n[docs](https://example.com/a?b=1)");
    expect(html).toContain("<h1>Plan</h1>");
    expect(html).toContain("<strong>bold</strong> <em>it</em> <code>x&lt;y</code>");
    expect(html).toContain("<li>one</li>");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("<pre><code>const a = 1 &lt; 2;\n</code></pre>");
    expect(html).toContain('<a href="https://example.com/a?b=1" target="_blank" rel="noopener nofollow">docs</a>');
  });

  it("keeps a line break where the author pressed Enter, and links bare http(s) addresses", () => {
    expect(renderMarkdown("first\nsecond")).toBe("<p>first<br>\nsecond</p>\n");
    expect(renderMarkdown("see https://example.com/x now")).toContain('<a href="https://example.com/x" target="_blank" rel="noopener nofollow">');
    // No fuzzy links: a word with a dot is not an address.
    expect(renderMarkdown("see example.com")).not.toContain("<a");
  });
});

describe("renderMarkdown against hostile input", () => {
  const HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.test></iframe>",
    "<style>body{display:none}</style>",
    "<svg onload=alert(1)>",
    "<div style=\"position:fixed;inset:0\">cover</div>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "![x](https://tracker.test/pixel.png)",
    '![x](x" onerror="alert(1))',
    '[x](https://ok.test "title" onmouseover="alert(1)")',
    "[x](https://ok.test/\"><script>alert(1)</script>)",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<!-- hidden --><b>bold</b>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "**<script>**alert(1)**</script>**",
    "@<script>alert(1)</script>",
    "[a]: javascript:alert(1)\n\n[a]",
  ];

  for (const input of HOSTILE) {
    it(`is inert: ${JSON.stringify(input)}`, () => {
      const html = renderMarkdown(input, { mentions: people("bob") });
      // Only the tags of the Markdown elements, never a tag the author typed.
      for (const tag of tags(html)) expect(ALLOWED_TAGS.has(tag ?? ""), `<${tag}> in ${html}`).toBe(true);
      expect(html).not.toMatch(/<script|<img|<iframe|<style|<svg|<div/i);
      // No event handler or style attribute anywhere, and no link but http(s) or mailto.
      for (const attribute of attributes(html)) expect(ALLOWED_ATTRIBUTES.has(attribute ?? ""), `${attribute} in ${html}`).toBe(true);
      // Every tag's attributes were read: a tag the reader above could not parse would be a tag with something odd in it.
      expect(html.match(/</g)?.length ?? 0).toBe([...html.matchAll(/<\/?[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)].length);
      for (const match of html.matchAll(/href="([^"]*)"/g)) expect(match[1]).toMatch(/^(https?:\/\/|mailto:)/);
    });
  }

  it("shows the author's tags as text", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
    expect(renderMarkdown("[click](javascript:alert(1))")).toBe("<p>[click](javascript:alert(1))</p>\n");
  });

  it("renders no image (no request is made by reading a comment)", () => {
    expect(renderMarkdown("![logo](https://tracker.test/p.png)")).not.toContain("<img");
  });

  it("stays fast on pathological input at the longest body", () => {
    const inputs = [
      "[".repeat(MARKDOWN_MAX_LENGTH),
      "*a ".repeat(MARKDOWN_MAX_LENGTH / 3),
      ">".repeat(MARKDOWN_MAX_LENGTH),
      "- ".repeat(MARKDOWN_MAX_LENGTH / 2),
      "@a ".repeat(MARKDOWN_MAX_LENGTH / 3),
      "`".repeat(MARKDOWN_MAX_LENGTH),
    ];
    for (const input of inputs) {
      const started = performance.now();
      renderMarkdown(input, { mentions: people("a") });
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it("cuts a body past the longest a comment may be", () => {
    expect(renderMarkdown("a".repeat(MARKDOWN_MAX_LENGTH + 50)).length).toBeLessThan(MARKDOWN_MAX_LENGTH + 20);
  });
});

describe("mentions", () => {
  it("finds the names mentioned in prose, not in code, code blocks, links or email addresses", () => {
    const body = "Hi @Alice and @bob.\n`@carol` \n\n```\n@dave\n```\n\n[@erin](https://x.test) mail frank@corp.test (@grace)";
    expect(findMentions(body).sort()).toEqual(["alice", "bob", "grace"]);
  });

  it("renders resolved mentions as mentions and leaves the others as text", () => {
    const html = renderMarkdown("@alice, ask @nobody or @BOB.", { mentions: people("alice", "Bob") });
    expect(html).toBe(
      '<p><span class="mention" data-user-id="00000000-0000-4000-8000-000000000000">@alice</span>, ask @nobody or <span class="mention" data-user-id="00000000-0000-4000-8000-000000000001">@Bob</span>.</p>\n',
    );
  });

  it("escapes what it writes into a mention", () => {
    const html = renderMarkdown("@x_y", { mentions: new Map([["x_y", { id: '"><script>', username: "<b>" }]]) });
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<b>");
  });
});
