/**
 * Dependencies, end to end: a project manager makes a task wait for a task of another project
 * with the picker on the task page; the task shows "Blocked" on its page and in the list, and a
 * loop is refused naming its path (the API's route tests cover done while blocked, by every door).
 */
import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique } from "./harness.js";
import { signIn } from "./pages.js";

describe("dependencies", () => {
  browserTest(
    "a manager makes a task wait for another project's task; it shows Blocked on its page and in the list, and the loop back is refused naming it",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("d").toLowerCase().slice(0, 30);
      const org = await call<{ id: string }>("/api/orgs", {
        token: admin,
        body: { slug, name: `Deps ${slug}` },
      });
      const manager = await member(admin, slug, ["project_manager"], "pm");
      const token = await login(manager.username, manager.password);
      const shop = await call<{ id: string }>("/api/projects", {
        token,
        body: { orgId: org.id, name: "Shop", key: "SHOP" },
      });
      const ops = await call<{ id: string }>("/api/projects", {
        token,
        body: { orgId: org.id, name: "Ops", key: "OPS" },
      });
      const task = await call<{ id: string; key: string }>("/api/tasks", {
        token,
        body: { projectId: shop.id, title: "Launch the checkout" },
      });
      const blocker = await call<{ id: string; key: string }>("/api/tasks", {
        token,
        body: { projectId: ops.id, title: "Open the merchant account" },
      });

      await page.goto("/sign-in");
      await signIn(page, manager.username, manager.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.goto(`/o/${slug}/tasks/${task.id}`);
      const section = page.locator("section", { has: page.getByRole("heading", { name: "Dependencies" }) });
      // The picker adds the chosen task at once and empties itself for the next one.
      await page.getByRole("combobox", { name: "Add a blocking task", exact: true }).fill("merchant");
      await page
        .getByRole("option", { name: `${blocker.key} Open the merchant account`, exact: true })
        .click();
      await section
        .getByRole("list", { name: "Blocked by" })
        .getByRole("link", { name: /Open the merchant account/ })
        .waitFor();
      await section.getByText("Blocked", { exact: true }).waitFor();

      // The loop, the other way round, is refused naming it.
      const loop = await fetch(`${env.baseUrl}/api/tasks/${blocker.id}/dependencies`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ dependsOnId: task.id }),
      });
      expect(loop.status).toBe(409);
      expect(((await loop.json()) as { detail: string }).detail).toContain(
        `${blocker.key} → ${task.key} → ${blocker.key}`,
      );

      // The list shows the badge too.
      await page.goto(`/o/${slug}/projects/${shop.id}/tasks`);
      await page
        .getByRole("row", { name: /Launch the checkout/ })
        .getByText("Blocked", { exact: true })
        .waitFor();
    },
  );
});
