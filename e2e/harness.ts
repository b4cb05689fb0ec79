/**
 * What every browser test needs: the server's address and the superuser's credentials (from
 * scripts/e2e.mjs), a fresh Chromium per test (Debian's, never a downloaded one), a screenshot in
 * test-results/ when a test fails, and the emails the server wrote to its file mailbox.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { test } from "vitest";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the browser tests with \`npm run test:e2e\`.`);
  return value;
}

export const env = {
  get baseUrl() {
    return required("E2E_BASE_URL").replace(/\/$/, "");
  },
  get adminLogin() {
    return required("E2E_ADMIN_LOGIN");
  },
  get adminPassword() {
    return required("E2E_ADMIN_PASSWORD");
  },
  get mailDir() {
    return required("E2E_MAIL_DIR");
  },
  /** The server's log (LOG_FILE): the console SMS backend writes its messages there. */
  get logFile() {
    return required("E2E_LOG_FILE");
  },
};

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const RESULTS = path.resolve(import.meta.dirname, "../test-results");

export type Browser = { page: Page; context: BrowserContext };

/** A separate browser (its own profile, so its own session), e.g. a second person in the same test. */
export async function launch(): Promise<Browser & { userDataDir: string; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "cairn-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 800 },
    baseURL: env.baseUrl,
    locale: "en-US",
    timezoneId: "UTC",
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => undefined);
    rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, page, userDataDir, close };
}

function fileName(name: string): string {
  return name
    .replace(/[^\w.-]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 120);
}

/**
 * A test with its own browser. When it fails, the page is saved to test-results/<name>.png
 * (and the browser's console errors are added to the error message).
 */
export function browserTest(name: string, body: (browser: Browser) => Promise<void>, timeout?: number) {
  test(
    name,
    async () => {
      const browser = await launch();
      const consoleErrors: string[] = [];
      browser.page.on("pageerror", (error) => consoleErrors.push(`pageerror: ${error.message}`));
      browser.page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(`console: ${message.text()}`);
      });
      try {
        await body(browser);
      } catch (error) {
        mkdirSync(RESULTS, { recursive: true });
        const file = path.join(RESULTS, `${fileName(name)}.png`);
        await browser.page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
        if (error instanceof Error) {
          error.message += `\n  screenshot: ${file}\n  url: ${browser.page.url()}`;
          if (consoleErrors.length)
            error.message += `\n  browser errors:\n    ${consoleErrors.slice(-10).join("\n    ")}`;
        }
        throw error;
      } finally {
        await browser.close();
      }
    },
    timeout,
  );
}

/** A name no earlier run used (usernames: letters, digits, dots, dashes, underscores). */
export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** The body of an .eml file, with quoted-printable soft breaks and escapes undone. */
function decodeMail(raw: string): string {
  return raw
    .replace(/=\r?\n/g, "")
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Waits for an email to `to` whose text matches `pattern`; returns the first capture group. */
export async function waitForMail(to: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let files: string[] = [];
    try {
      files = readdirSync(env.mailDir).filter((file) => file.endsWith(".eml"));
    } catch {
      // the mailbox folder appears with the first email
    }
    for (const file of files.sort().reverse()) {
      const mail = decodeMail(readFileSync(path.join(env.mailDir, file), "utf8"));
      if (!new RegExp(`^To: .*${to.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "mi").test(mail)) continue;
      const match = pattern.exec(mail);
      if (match) return match[1] ?? match[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `No email to ${to} matching ${String(pattern)} arrived within ${timeoutMs / 1000} s (mailbox ${env.mailDir}).`,
  );
}
