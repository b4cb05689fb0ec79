/** Steps the tests share, written the way a person would do them (labels and roles, not CSS). */
import { expect } from "vitest";
import type { Locator, Page } from "playwright-core";

export async function signUp(
  page: Page,
  user: { email: string; username: string; password: string; accountType: "customer" | "developer" },
) {
  await page.goto("/sign-up");
  const type = user.accountType === "developer" ? "Developer" : "Customer";
  await page.getByRole("radio", { name: new RegExp(`^${type}`) }).check({ force: true });
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

export async function signIn(page: Page, login: string, password: string) {
  await page.getByLabel("Email or username").fill(login);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in/);
}

/** Waits for the dashboard of an organization (the landing page after signing in). */
export async function expectDashboard(page: Page, name: string) {
  await page.waitForURL(/\/o\/[^/]+$/);
  await page.getByRole("heading", { level: 1, name: new RegExp(`, ${name}$`) }).waitFor();
}

/** The labels of the links in the sidebar. */
export async function navigationLinks(page: Page): Promise<string[]> {
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "Dashboard" }).waitFor();
  return (await nav.getByRole("link").allInnerTexts()).map((text) => text.trim());
}

export async function expectText(page: Page, text: string | RegExp) {
  await page.getByText(text).first().waitFor();
  expect(await page.getByText(text).count()).toBeGreaterThan(0);
}

/** Chooses in an async picker (a combobox that searches the server): types, then clicks the option. */
export async function pick(scope: Page | Locator, label: string, text: string, option: string) {
  const combobox = scope.getByRole("combobox", { name: label, exact: true });
  await combobox.fill(text);
  // The options open below the field (in the page's top layer, also from a dialog).
  await combobox.page().getByRole("option", { name: option, exact: true }).click();
  await expect.poll(() => combobox.inputValue()).toBe(option);
}
