import MarkdownIt, { type MarkdownIt as Renderer, type StateCore, type Token } from "markdown-it";

/**
 * Markdown as Cairn renders it (task comments), on both sides: the server sends every comment's
 * HTML (`bodyHtml`) made by this function and the web's preview calls the same one, so what the
 * author previews is exactly what readers get (ADR 0009). Safe by construction, not by cleaning
 * afterwards: markdown-it with `html: false` escapes every `<` of the source, so no tag, script,
 * style or event attribute the author writes reaches the page; links are kept only for http(s)
 * and mailto (a `javascript:` or `data:` link stays plain text) and open in a new tab with
 * `rel="noopener nofollow"`; images are not rendered (no tracking pixels, no requests made by
 * reading a comment). `@username` becomes a mention only for the people the caller names as
 * resolved; any other `@word` stays text.
 */

/** The longest comment body (API.md "Tasks"). */
export const MARKDOWN_MAX_LENGTH = 20_000;

/** `@name` preceded by the start or a non-word character (so `a@b.com` is no mention); a name ends on a letter, digit or `_`. */
const MENTION = /(^|[^A-Za-z0-9_.@-])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,38}[A-Za-z0-9_])?)/g;

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

/** A person a mention names, as the renderer shows them. */
export type MentionTarget = { id: string; username: string };

export type MarkdownOptions = {
  /** Resolved mentions by lower-cased username; a name not here stays plain text. */
  mentions?: ReadonlyMap<string, MentionTarget>;
};

type Env = { mentions?: ReadonlyMap<string, MentionTarget>; found?: Set<string> };

function createRenderer(): Renderer {
  const md = new MarkdownIt("default", { html: false, linkify: true, breaks: true, typographer: false });
  md.disable(["image"]);
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });
  md.validateLink = (url) => SAFE_LINK.test(url.trim());
  const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (token) {
      token.attrSet("target", "_blank");
      token.attrSet("rel", "noopener nofollow");
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  md.renderer.rules.mention = (tokens, idx) => {
    const token = tokens[idx];
    const meta = token?.meta as { id?: string } | null | undefined;
    const id = md.utils.escapeHtml(meta?.id ?? "");
    return `<span class="mention" data-user-id="${id}">@${md.utils.escapeHtml(token?.content ?? "")}</span>`;
  };
  // After linkify, so a link's text is never a mention; code spans and blocks are other token types.
  md.core.ruler.push("mentions", (state: StateCore) => {
    const env = state.env as Env;
    for (const block of state.tokens) {
      if (block.type !== "inline" || !block.children) continue;
      block.children = splitMentions(block.children, env, state);
    }
  });
  return md;
}

/** Text tokens outside links, split where a mention stands. */
function splitMentions(children: Token[], env: Env, state: StateCore): Token[] {
  const out: Token[] = [];
  let inLink = 0;
  for (const token of children) {
    if (token.type === "link_open") inLink++;
    if (token.type === "link_close") inLink--;
    if (token.type !== "text" || inLink > 0 || !token.content.includes("@")) {
      out.push(token);
      continue;
    }
    let last = 0;
    const text = token.content;
    for (const match of text.matchAll(MENTION)) {
      const name = match[2] ?? "";
      const key = name.toLowerCase();
      env.found?.add(key);
      const target = env.mentions?.get(key);
      if (!target) continue;
      const start = (match.index ?? 0) + (match[1]?.length ?? 0);
      if (start > last) out.push(textToken(state, text.slice(last, start)));
      const mention = new state.Token("mention", "", 0);
      mention.content = target.username;
      mention.meta = { id: target.id };
      out.push(mention);
      last = start + 1 + name.length;
    }
    if (last === 0) out.push(token);
    else if (last < text.length) out.push(textToken(state, text.slice(last)));
  }
  return out;
}

function textToken(state: StateCore, content: string): Token {
  const token = new state.Token("text", "", 0);
  token.content = content;
  return token;
}

let renderer: Renderer | null = null;
const markdown = () => (renderer ??= createRenderer());

/** The body as safe HTML (see the file's comment). */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  const env: Env = { mentions: options.mentions };
  return markdown().render(source.slice(0, MARKDOWN_MAX_LENGTH), env);
}

/**
 * The lower-cased usernames a body mentions, in prose only: not inside code, a code block or a
 * link. The server resolves them to people who can see the task.
 */
export function findMentions(source: string): string[] {
  const env: Env = { found: new Set() };
  markdown().parse(source.slice(0, MARKDOWN_MAX_LENGTH), env);
  return [...(env.found ?? [])];
}
