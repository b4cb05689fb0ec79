// The automatic JSX runtime whatever tsconfig the runner finds (tsx started from the repository root finds none).
/** @jsxRuntime automatic */
/** @jsxImportSource react */
import {
  Body,
  Button,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import { renderToStaticMarkup } from "react-dom/server";

/**
 * Every email Cairn sends is one structured message rendered by one layout:
 * HTML from React Email components (tables and inline styles that mail
 * clients read, escaped by React) and the plain-text part from the same
 * content, written for people rather than converted from the HTML.
 * docs/decisions/0009-email-templates.md says why React Email.
 */
export type EmailLink = { label: string; url: string };

/** One line of a list: what happened, a sentence of detail, and the object it links to. */
export type EmailItem = { title: string; body?: string; url?: string | null; meta?: string };

export type EmailSection = { heading: string; items: EmailItem[] };

export type EmailContent = {
  subject: string;
  /** The preview line mail clients show beside the subject. */
  preview: string;
  greeting: string;
  paragraphs?: string[];
  /** The one thing to do (set a password, open the task). */
  action?: EmailLink;
  sections?: EmailSection[];
  /** Small print under the message: why it came, and the links that stop it. */
  footer?: { text: string; links: EmailLink[] };
};

export type RenderedEmail = { subject: string; text: string; html: string };

const colors = {
  text: "#18181b",
  muted: "#52525b",
  faint: "#71717a",
  accent: "#4338ca",
  line: "#e4e4e7",
  page: "#f4f4f5",
};
const font = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

function Item({ item }: { item: EmailItem }) {
  return (
    <Section style={{ padding: "8px 0", borderBottom: `1px solid ${colors.line}` }}>
      <Text style={{ margin: 0, fontSize: "14px", lineHeight: "20px", color: colors.text, fontWeight: 600 }}>
        {item.url ? (
          <Link href={item.url} style={{ color: colors.accent, textDecoration: "none" }}>
            {item.title}
          </Link>
        ) : (
          item.title
        )}
      </Text>
      {item.body ? (
        <Text style={{ margin: "2px 0 0", fontSize: "13px", lineHeight: "19px", color: colors.muted }}>
          {item.body}
        </Text>
      ) : null}
      {item.meta ? (
        <Text style={{ margin: "2px 0 0", fontSize: "12px", lineHeight: "16px", color: colors.faint }}>
          {item.meta}
        </Text>
      ) : null}
    </Section>
  );
}

/** The layout of every email. */
export function EmailLayout({ content }: { content: EmailContent }) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{content.preview}</Preview>
      <Body style={{ backgroundColor: colors.page, fontFamily: font, margin: 0, padding: "24px 0" }}>
        <Container
          style={{
            backgroundColor: "#ffffff",
            border: `1px solid ${colors.line}`,
            borderRadius: "8px",
            padding: "24px",
            maxWidth: "560px",
          }}
        >
          <Text
            style={{
              margin: "0 0 16px",
              fontSize: "13px",
              fontWeight: 700,
              letterSpacing: "0.04em",
              color: colors.accent,
            }}
          >
            CAIRN
          </Text>
          <Heading
            as="h1"
            style={{ margin: "0 0 12px", fontSize: "20px", lineHeight: "28px", color: colors.text }}
          >
            {content.subject}
          </Heading>
          <Text style={{ margin: "0 0 12px", fontSize: "14px", lineHeight: "22px", color: colors.text }}>
            {content.greeting}
          </Text>
          {(content.paragraphs ?? []).map((paragraph, index) => (
            <Text
              key={index}
              style={{ margin: "0 0 12px", fontSize: "14px", lineHeight: "22px", color: colors.text }}
            >
              {paragraph}
            </Text>
          ))}
          {content.action ? (
            <Section style={{ margin: "8px 0 16px" }}>
              <Button
                href={content.action.url}
                style={{
                  backgroundColor: colors.accent,
                  color: "#ffffff",
                  borderRadius: "6px",
                  padding: "10px 16px",
                  fontSize: "14px",
                  fontWeight: 600,
                }}
              >
                {content.action.label}
              </Button>
            </Section>
          ) : null}
          {(content.sections ?? []).map((section) => (
            <Section key={section.heading} style={{ margin: "16px 0 0" }}>
              <Heading
                as="h2"
                style={{ margin: "0 0 4px", fontSize: "15px", lineHeight: "22px", color: colors.text }}
              >
                {section.heading}
              </Heading>
              {section.items.map((item, index) => (
                <Item key={index} item={item} />
              ))}
            </Section>
          ))}
          {content.footer ? (
            <>
              <Hr style={{ borderColor: colors.line, margin: "24px 0 12px" }} />
              <Text style={{ margin: 0, fontSize: "12px", lineHeight: "18px", color: colors.faint }}>
                {content.footer.text}{" "}
                {content.footer.links.map((link, index) => (
                  <span key={link.url}>
                    {index ? " · " : ""}
                    <Link href={link.url} style={{ color: colors.faint, textDecoration: "underline" }}>
                      {link.label}
                    </Link>
                  </span>
                ))}
              </Text>
            </>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

/** The plain-text part: the same content, laid out for a terminal or a text-only client. */
export function emailText(content: EmailContent): string {
  const lines = [content.greeting, ""];
  for (const paragraph of content.paragraphs ?? []) lines.push(paragraph, "");
  if (content.action) lines.push(`${content.action.label}: ${content.action.url}`, "");
  for (const section of content.sections ?? []) {
    lines.push(section.heading, "-".repeat(section.heading.length));
    for (const item of section.items) {
      lines.push(`* ${item.title}`);
      if (item.body) lines.push(`  ${item.body}`);
      if (item.meta) lines.push(`  ${item.meta}`);
      if (item.url) lines.push(`  ${item.url}`);
    }
    lines.push("");
  }
  if (content.footer) {
    lines.push("--", content.footer.text);
    for (const link of content.footer.links) lines.push(`${link.label}: ${link.url}`);
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** React Email's own `render` starts with this doctype; mail clients expect XHTML 1.0 Transitional. */
const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/**
 * Renders a message to its subject, plain text and HTML. React's synchronous static
 * renderer rather than React Email's `render` (which streams, for Suspense, that these
 * templates do not use): the same markup in a seventh of the time, which a digest of
 * ten thousand users needs (bench/digest.mjs).
 */
export function renderEmail(content: EmailContent): RenderedEmail {
  return {
    subject: content.subject,
    text: emailText(content),
    html: DOCTYPE + renderToStaticMarkup(<EmailLayout content={content} />),
  };
}
