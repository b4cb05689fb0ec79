/**
 * Notifications, end to end: a manager assigns an overdue task; the developer, signed in in another
 * browser, sees the bell's count rise without reloading and finds it in the inbox, then keeps the
 * assignment emails off on the preferences grid. The daily digest for the developer (whose 08:00 has
 * come in their own time zone) arrives in the file mailbox with the task and a link back to it.
 */
import { describe, expect } from "vitest";
import { call, login, member } from "./api.js";
import { browserTest, env, unique, waitForMail } from "./harness.js";
import { signIn } from "./pages.js";

/** A zone whose 08:00 of today has passed by one to twelve hours: its digest is due at the next tick. */
function zoneAfterEight(): string {
  const zones = [
    "Pacific/Kiritimati",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Europe/Berlin",
    "America/Sao_Paulo",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "Pacific/Pago_Pago",
  ];
  const hour = (zone: string) =>
    Number(
      new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", hourCycle: "h23" }).format(
        new Date(),
      ),
    );
  return zones.find((zone) => hour(zone) >= 9 && hour(zone) <= 20) ?? "UTC";
}

describe("notifications", () => {
  browserTest(
    "an assignment shows up live in the assignee's header and inbox, preferences are a grid, and the daily digest is emailed",
    async ({ page }) => {
      const admin = await login(env.adminLogin, env.adminPassword);
      const slug = unique("n").toLowerCase().slice(0, 30);
      const org = await call<{ id: string }>("/api/orgs", {
        token: admin,
        body: { slug, name: `Notify ${slug}` },
      });
      const manager = await member(admin, slug, ["project_manager"], "pm");
      const developer = await member(admin, slug, ["developer"], "dev");
      const developerToken = await login(developer.username, developer.password);
      await call("/api/me/profile", {
        token: developerToken,
        method: "PATCH",
        body: { timezone: zoneAfterEight() },
      });

      // The developer is signed in, on their dashboard: nothing unread.
      await page.goto("/sign-in");
      await signIn(page, developer.username, developer.password);
      await page.waitForURL(new RegExp(`/o/${slug}$`));
      await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();

      // Meanwhile the manager plans a project and hands the developer a task that is already late.
      const managerToken = await login(manager.username, manager.password);
      const project = await call<{ id: string }>("/api/projects", {
        token: managerToken,
        body: { orgId: org.id, name: `Launch ${slug}` },
      });
      await call(`/api/projects/${project.id}/members`, {
        token: managerToken,
        body: { userId: developer.id },
      });
      const title = `Renew the TLS certificate ${slug}`;
      await call("/api/tasks", {
        token: managerToken,
        body: { projectId: project.id, title, assigneeId: developer.id, dueDate: "2024-01-15" },
      });

      // Live: the bell counts it without a reload; its panel and the inbox show it, linking to the task.
      await page.getByRole("button", { name: "Notifications, 1 unread" }).click();
      const panel = page.getByRole("dialog", { name: "Notifications" });
      await panel.getByText(`Assigned to you:`, { exact: false }).waitFor();
      await panel.getByRole("link", { name: "See all notifications" }).click();
      await page.waitForURL(/\/notifications$/);
      const link = page.getByRole("link", { name: new RegExp(title) });
      await link.waitFor();
      const show = page.getByRole("group", { name: "Show" });
      await show.getByRole("button", { name: "Mentions" }).click();
      await page.getByText("Nothing here").waitFor();
      await show.getByRole("button", { name: "All", exact: true }).click();
      await page.getByRole("link", { name: new RegExp(title) }).click();
      await page.waitForURL(new RegExp(`/o/${slug}/tasks/[0-9a-f-]{36}$`));
      await page.getByRole("heading", { name: title }).waitFor();
      await page.getByRole("button", { name: "Notifications", exact: true }).waitFor();

      // The assignment was emailed at once (immediate by default), linking back to the task.
      await waitForMail(
        developer.username,
        new RegExp(`(${env.baseUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/o/${slug}/tasks/[0-9a-f-]{36})`),
      );

      // Preferences: a grid of kinds × channels; turning an email off is kept.
      await page.goto("/notifications/preferences");
      const email = page.getByLabel("Tasks assigned to me: email");
      expect(await email.inputValue()).toBe("immediate");
      await email.selectOption("off");
      await page.getByText("Saved.").waitFor();
      await page.reload();
      expect(await page.getByLabel("Tasks assigned to me: email").inputValue()).toBe("off");
      expect(await page.getByLabel("Daily digest").isChecked()).toBe(true);

      // The daily digest: the developer's 08:00 has come, so the next tick of the schedule sends it.
      const digest = await waitForMail(developer.username, /(Subject: Your daily digest[\s\S]*)/, 180_000);
      expect(digest).toContain(title);
      expect(digest).toContain("Overdue since 2024-01-15");
      expect(digest).toContain(`/o/${slug}/tasks/`);
      expect(digest).toContain("Stop emails: Daily digest");
      expect(digest).toContain("/unsubscribe?token=");
    },
    240_000,
  );
});
