/**
 * Tasks, end to end: a project manager writes tasks and gives them to a developer in the UI, the
 * developer moves them on their board (keyboard, then mouse), the manager's board, open in another
 * browser, follows without a reload; a developer never sees a task that is not theirs.
 */
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, launch, unique } from "./harness.js";
import { pick, signIn } from "./pages.js";

/** Set E2E_SCREENSHOTS to a folder to keep pictures of the pages (at 1280 px and 390 px). */
const SHOTS = process.env.E2E_SCREENSHOTS;

async function shoot(page: Page, name: string) {
  if (!SHOTS) return;
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** A board column, by its status. */
const column = (page: Page, status: string) => page.getByRole("region", { name: new RegExp(`^${status}`) });

/** A card of the board, by its title. */
const card = (scope: Page | Locator, title: string) =>
  scope.getByRole("listitem", { name: new RegExp(title) });

describe("tasks", () => {
  browserTest(
    "a manager assigns tasks to a developer, who moves them on the board; the manager's open board follows; a developer sees only their own",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("t").toLowerCase().slice(0, 30);
      const org = await call<{ id: string }>("/api/orgs", {
        token: admin,
        body: { slug, name: `Tasks ${slug}` },
      });
      const manager = await member(admin, slug, ["project_manager"], "pm");
      const developer = await member(admin, slug, ["developer"], "dev");
      const other = await member(admin, slug, ["developer"], "oth");
      const managerToken = await login(manager.username, manager.password);
      const projectName = `Shop ${slug}`;
      const project = await call<{ id: string; key: string }>("/api/projects", {
        token: managerToken,
        body: { orgId: org.id, name: projectName },
      });
      // Someone else's task, which the developer must never see.
      const secret = await call<{ id: string; key: string }>("/api/tasks", {
        token: managerToken,
        body: { orgId: org.id, projectId: project.id, title: "Rotate the secrets", assigneeId: other.id },
      });
      // Two of the developer's: one waits for the other, so it cannot be done yet.
      const docs = await call<{ id: string }>("/api/tasks", {
        token: managerToken,
        body: { orgId: org.id, projectId: project.id, title: "Write the docs", assigneeId: developer.id },
      });
      await call("/api/tasks", {
        token: managerToken,
        body: {
          orgId: org.id,
          projectId: project.id,
          title: "Ship the release",
          assigneeId: developer.id,
          dependsOn: [docs.id],
        },
      });
      const boardUrl = `/o/${slug}/projects/${project.id}/board`;

      // The manager opens the project's Tasks tab and writes a task with the C key.
      await page.goto("/sign-in");
      await signIn(page, manager.username, manager.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/projects/${project.id}`);
      await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Tasks" }).click();
      await page.waitForURL(/\/tasks$/);
      await page.getByRole("table", { name: "Tasks" }).waitFor();
      await page.getByRole("row", { name: /Rotate the secrets/ }).waitFor();
      await page.keyboard.press("c");
      let dialog = page.getByRole("dialog", { name: "New task" });
      await dialog.getByLabel("Title").fill("Write the checkout");
      // The project is the one the tab is about.
      await expect
        .poll(() => dialog.getByRole("combobox", { name: "Project" }).inputValue())
        .toBe(projectName);
      await pick(dialog, "Assignee", developer.username, `@${developer.username}`);
      await dialog.getByLabel("Priority").selectOption("high");
      await dialog.getByRole("button", { name: "Create task" }).click();
      await dialog.waitFor({ state: "detached" });
      const tasks = page.getByRole("table", { name: "Tasks" });
      await tasks
        .getByRole("row", { name: /Write the checkout/ })
        .getByText(`@${developer.username}`)
        .waitFor();

      // A second one from the board's New task button, with a label.
      await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Board" }).click();
      await page.waitForURL(/\/board$/);
      await card(column(page, "To do"), "Write the checkout").waitFor();
      await page.getByRole("button", { name: "New task" }).click();
      dialog = page.getByRole("dialog", { name: "New task" });
      await dialog.getByLabel("Title").fill("Design the cart");
      await pick(dialog, "Assignee", developer.username, `@${developer.username}`);
      await dialog.getByLabel("Labels").fill("frontend");
      await dialog.getByLabel("Labels").press("Enter");
      await dialog.getByRole("button", { name: "Remove label frontend" }).waitFor();
      await dialog.getByRole("button", { name: "Create task" }).click();
      await dialog.waitFor({ state: "detached" });
      await card(column(page, "To do"), "Design the cart").waitFor();
      await shoot(page, "board-manager");

      // The developer, in a browser of their own, finds both in My work and nowhere the other task.
      const second = await launch();
      try {
        const dev = second.page;
        await dev.goto("/sign-in");
        await signIn(dev, developer.username, developer.password);
        await dev.waitForURL(new RegExp(`/o/${slug}$`));
        const nav = dev.getByRole("navigation", { name: "Main" });
        await nav.getByRole("link", { name: "My work" }).click();
        await dev.getByRole("heading", { level: 1, name: "My work" }).waitFor();
        await dev
          .getByRole("link", { name: /Write the checkout/ })
          .first()
          .waitFor();
        await dev
          .getByRole("link", { name: /Design the cart/ })
          .first()
          .waitFor();
        await nav.getByRole("link", { name: "Tasks" }).click();
        const list = dev.getByRole("table", { name: "Tasks" });
        await list.getByRole("row", { name: /Design the cart/ }).waitFor();
        expect(await list.getByRole("row").count()).toBe(5); // the header and their four tasks
        expect(await dev.getByText("Rotate the secrets").count()).toBe(0);
        await dev.getByRole("searchbox", { name: "Search tasks" }).fill(secret.key);
        await dev.getByRole("heading", { name: "No task matches" }).waitFor();

        // …and on their board moves the first one to In progress with the keyboard.
        await dev.goto(boardUrl);
        const checkout = card(column(dev, "To do"), "Write the checkout");
        await checkout.focus();
        await dev.keyboard.press("Space");
        await dev.getByText(/Picked up .* Arrow keys move it/).waitFor();
        await dev.keyboard.press("ArrowRight");
        await card(column(dev, "In progress"), "Write the checkout").waitFor();
        await dev.keyboard.press("Space");
        await dev.getByText(/dropped in In progress, position 1/).waitFor();
        await expect.poll(() => card(column(dev, "In progress"), "Write the checkout").count()).toBe(1);

        // The manager's board, open all along, follows without a reload.
        await card(column(page, "In progress"), "Write the checkout").waitFor({ timeout: 10_000 });
        expect(await card(column(page, "To do"), "Write the checkout").count()).toBe(0);

        // The mouse drags the other one to Done; the manager sees that too.
        await card(column(dev, "To do"), "Design the cart").dragTo(column(dev, "Done"));
        await card(column(dev, "Done"), "Design the cart").waitFor();
        await card(column(page, "Done"), "Design the cart").waitFor({ timeout: 10_000 });
        await shoot(dev, "board-developer");

        // A move the server refuses (a blocker is not done) is undone, and the reason is shown.
        const ship = card(column(dev, "To do"), "Ship the release");
        await ship.getByRole("button", { name: /^Move / }).click();
        await dev.getByRole("menuitem", { name: "Move to Done" }).click();
        await dev.getByTestId("toast-error").getByText("The card was not moved").waitFor();
        await card(column(dev, "To do"), "Ship the release").waitFor();
        expect(await card(column(dev, "Done"), "Ship the release").count()).toBe(0);

        // The task page offers the developer its status alone; someone else's task is not found.
        await card(column(dev, "Done"), "Design the cart").getByRole("link").click();
        await dev.getByRole("heading", { level: 1, name: /Design the cart/ }).waitFor();
        await dev.getByLabel("Status").waitFor();
        expect(await dev.getByLabel("Priority").count()).toBe(0);
        expect(await dev.getByRole("button", { name: "Edit title" }).count()).toBe(0);
        expect(await dev.getByRole("button", { name: "Delete" }).count()).toBe(0);
        await dev.goto(`/o/${slug}/tasks/${secret.id}`);
        await dev.getByRole("heading", { name: "Task not found" }).first().waitFor();
        expect(await dev.getByText("Rotate the secrets").count()).toBe(0);
      } finally {
        await second.close();
      }

      // The manager's project shows the work done in its charts.
      await page.goto(`/o/${slug}/projects/${project.id}`);
      const completion = page.getByRole("progressbar", { name: "Completion" });
      await expect.poll(() => completion.getAttribute("aria-valuenow")).toBe("20");
    },
    240_000,
  );
});
