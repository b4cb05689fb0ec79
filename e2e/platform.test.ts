import { describe, expect } from "vitest";
import { call, login } from "./api.js";
import { browserTest, env } from "./harness.js";
import { signIn } from "./pages.js";

type Schedule = { name: string; cron: string; timezone: string };
type Page<T> = { items: T[]; total: number };
type Job = { id: string; state: string; error: string | null };

// The superuser's platform pages: the schedules (a cron editor with a preview of the next runs) and
// the job monitor (a failed job, its error and payload, and a retry that completes it).
describe("platform", () => {
  browserTest(
    "the superuser edits a schedule with the preview, and retries a failed job",
    async ({ page }) => {
      const token = await login(env.adminLogin, env.adminPassword);
      await page.goto("/sign-in");
      await signIn(page, env.adminLogin, env.adminPassword);
      await page.waitForURL(/\/o\/[^/]+$/);

      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Schedules" }).click();
      await page.getByRole("heading", { level: 1, name: "Schedules" }).waitFor();
      const table = page.getByRole("table", { name: "Schedules" });
      await table.getByRole("rowheader", { name: /cleanup/ }).waitFor();
      await table.getByRole("rowheader", { name: /tickets\.sla/ }).waitFor();

      await page.getByRole("button", { name: "Edit cleanup" }).click();
      const dialog = page.getByRole("dialog", { name: "Edit cleanup" });
      const cron = dialog.getByLabel("Cron expression");
      // An hour that does not exist: the editor says why, inline, and will not save.
      await cron.fill("0 25 * * *");
      await dialog
        .getByText(/expected range 0-23/)
        .first()
        .waitFor();
      expect(await dialog.getByRole("button", { name: "Save" }).isDisabled()).toBe(true);

      // Weekdays at 04:00 in Karachi: the next five runs are weekdays at 04:00 there.
      await cron.fill("0 4 * * 1-5");
      await dialog.getByLabel("Time zone").selectOption("Asia/Karachi");
      await dialog.getByText("In Asia/Karachi.").waitFor();
      const runs = dialog.getByRole("list", { name: "Next five runs" }).getByRole("listitem");
      await expect.poll(() => runs.count()).toBe(5);
      for (const text of await runs.allInnerTexts()) expect(text).toMatch(/^(Mon|Tue|Wed|Thu|Fri), .*04:00$/);
      await dialog.getByRole("button", { name: "Save" }).click();
      await page
        .getByTestId("toast-success")
        .filter({ hasText: "cleanup now runs at 0 4 * * 1-5" })
        .waitFor();
      await table.getByText("0 4 * * 1-5").waitFor();
      const stored = await call<{ items: Schedule[] }>("/api/admin/schedules", { token });
      expect(stored.items.find((item) => item.name === "cleanup")).toMatchObject({
        cron: "0 4 * * 1-5",
        timezone: "Asia/Karachi",
      });

      // The job monitor: a test job that fails on its first attempt.
      await nav.getByRole("link", { name: "Jobs" }).click();
      await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor();
      await page.getByRole("button", { name: "Send one that fails" }).click();
      const failed = page
        .getByRole("list", { name: "Failed jobs" })
        .getByRole("listitem")
        .filter({ hasText: "failed on purpose" });
      await failed.first().waitFor({ timeout: 20_000 });
      const [job] = (await call<Page<Job>>("/api/admin/jobs/failed?queue=platform.probe", { token })).items;
      expect(job?.error).toMatch(/failed on purpose/);
      // Its payload is there to read.
      await failed.first().getByText("Payload").click();
      await failed
        .first()
        .getByText(/"failFirst": true/)
        .waitFor();
      await failed
        .first()
        .getByRole("button", { name: /^Retry job/ })
        .click();
      await page.getByTestId("toast-success").filter({ hasText: "queued again" }).waitFor();
      await expect
        .poll(async () => (await call<Job>(`/api/admin/jobs/${job?.id}`, { token })).state, {
          timeout: 20_000,
          interval: 250,
        })
        .toBe("completed");
      await expect.poll(() => failed.count(), { timeout: 15_000 }).toBe(0);
      // The worker that ran it is listed, alive.
      await page.getByRole("table", { name: "Workers" }).getByText("Alive").first().waitFor();

      await call("/api/admin/schedules/cleanup", {
        token,
        method: "PATCH",
        body: { cron: "30 3 * * *", timezone: "UTC" },
      });
    },
    90_000,
  );
});
