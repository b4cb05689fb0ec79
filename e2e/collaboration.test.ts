/**
 * Working on a task together, end to end (issue 13): a manager mentions a developer in a comment
 * (picked from the suggestions, checked in the preview) and attaches a screenshot; the mention
 * reaches the developer's inbox; the developer answers, and the manager's open page shows the answer
 * without a reload; the developer logs time in the dialog and finds it on their timesheet with the
 * total.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { tinyPng } from "./fixtures.js";
import { browserTest, env, launch, unique } from "./harness.js";
import { signIn } from "./pages.js";

/** Set E2E_SCREENSHOTS to a folder to keep pictures of the pages. */
const SHOTS = process.env.E2E_SCREENSHOTS;

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe("task collaboration", () => {
  browserTest(
    "a manager mentions a developer, who finds it in their inbox, answers live and logs time that shows on the timesheet",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("c").toLowerCase().slice(0, 30);
      const org = await call<{ id: string }>("/api/orgs", {
        token: admin,
        body: { slug, name: `Talk ${slug}` },
      });
      const manager = await member(admin, slug, ["project_manager"], "pm");
      const developer = await member(admin, slug, ["developer"], "dev");
      const managerToken = await login(manager.username, manager.password);
      const project = await call<{ id: string }>("/api/projects", {
        token: managerToken,
        body: { orgId: org.id, name: `Shop ${slug}` },
      });
      const task = await call<{ id: string; key: string }>("/api/tasks", {
        token: managerToken,
        body: {
          orgId: org.id,
          projectId: project.id,
          title: "Fix the checkout",
          assigneeId: developer.id,
          estimateMinutes: 240,
        },
      });
      const taskUrl = `/o/${slug}/tasks/${task.id}`;

      // The manager writes a comment, mentioning the developer from the suggestions.
      await page.goto("/sign-in");
      await signIn(page, manager.username, manager.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(taskUrl);
      await page.getByRole("heading", { level: 1, name: /Fix the checkout/ }).waitFor();
      const box = page.getByRole("combobox", { name: "New comment" });
      await box.click();
      await box.pressSequentially(`Could you look at this? @${developer.username.slice(0, 5)}`);
      const suggestions = page.getByRole("listbox", { name: "People you can mention" });
      await suggestions.getByRole("option", { name: new RegExp(`@${developer.username}`) }).waitFor();
      await box.press("Enter");
      await expect.poll(() => box.inputValue()).toBe(`Could you look at this? @${developer.username} `);
      await box.pressSequentially("the **total** is wrong. <script>alert(1)</script>");
      await shoot(page, "collab-mention-suggestions");
      await page.getByRole("tab", { name: "Preview" }).click();
      const preview = page.getByRole("tabpanel", { name: "Preview" });
      await preview.locator(".mention", { hasText: `@${developer.username}` }).waitFor();
      await preview.locator("strong", { hasText: "total" }).waitFor();
      expect(await preview.locator("script").count()).toBe(0);
      await preview.getByText("<script>alert(1)</script>").waitFor();
      await page.getByRole("button", { name: "Comment", exact: true }).click();
      const comments = page.getByRole("list", { name: "Comments" });
      const mine = comments.getByRole("listitem", { name: `Comment by @${manager.username}` });
      await mine.locator(".mention", { hasText: `@${developer.username}` }).waitFor();

      // …and attaches a screenshot by its file chooser: a progress bar, then a preview.
      await page
        .getByLabel("Attach files")
        .setInputFiles({ name: "checkout.png", mimeType: "image/png", buffer: tinyPng(24, [200, 40, 40]) });
      await page.getByRole("img", { name: "Preview of checkout.png" }).waitFor();
      await page.getByRole("list", { name: "Activity" }).getByText("attached").waitFor();
      await shoot(page, "collab-task-manager");

      const second = await launch();
      try {
        const dev = second.page;
        await dev.goto("/sign-in");
        await signIn(dev, developer.username, developer.password);
        await dev.waitForURL(new RegExp(`/o/${slug}$`));

        // The mention is in the developer's inbox.
        await dev.goto("/notifications");
        await dev.getByText(`${manager.username} mentioned you on ${task.key}: Fix the checkout`).waitFor();
        await dev
          .getByText(/Could you look at this\? @/)
          .first()
          .waitFor();

        // The developer answers on the task page; the manager's open page shows it without a reload.
        await dev.goto(taskUrl);
        await dev.getByRole("heading", { level: 1, name: /Fix the checkout/ }).waitFor();
        const answer = dev.getByRole("combobox", { name: "New comment" });
        await answer.fill(`On it, @${manager.username}.`);
        await dev.getByRole("button", { name: "Comment", exact: true }).click();
        await dev.getByRole("listitem", { name: `Comment by @${developer.username}` }).waitFor();
        await comments
          .getByRole("listitem", { name: `Comment by @${developer.username}` })
          .getByText("On it,")
          .waitFor({ timeout: 10_000 });

        // The developer logs an hour and a half in the dialog.
        await dev.getByRole("button", { name: "Log time" }).click();
        const dialog = dev.getByRole("dialog", { name: `Log time on ${task.key}` });
        await dialog.getByLabel("Time spent").fill("1h 30m");
        await dialog.getByLabel("Note").fill("Found the rounding bug");
        await shoot(dev, "collab-log-time");
        await dialog.getByRole("button", { name: "Log time" }).click();
        await dialog.waitFor({ state: "detached" });
        await expect.poll(() => dev.getByTestId("logged-time").textContent()).toBe("1h 30m");
        await dev.getByRole("list", { name: "Time entries" }).getByText("Found the rounding bug").waitFor();

        // …and finds it on the timesheet, with the total; the filter lives in the URL.
        await dev.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Timesheet" }).click();
        await dev.getByRole("heading", { level: 1, name: "Timesheet" }).waitFor();
        const rows = dev.getByRole("table", { name: "Timesheet" });
        await rows
          .getByRole("row", { name: /Fix the checkout/ })
          .getByText("1h 30m")
          .waitFor();
        await expect.poll(() => dev.getByTestId("timesheet-total").textContent()).toBe("1h 30m");
        await shoot(dev, "collab-timesheet");
        await dev.goto(`/o/${slug}/time?user=me&from=2000-01-01&to=2000-01-31`);
        await dev.getByRole("heading", { name: "No time in this view" }).waitFor();
      } finally {
        await second.close();
      }

      // The manager's page counted the time too (the task was pushed live).
      await expect
        .poll(() => page.getByTestId("logged-time").textContent(), { timeout: 10_000 })
        .toBe("1h 30m");
    },
    240_000,
  );
});
