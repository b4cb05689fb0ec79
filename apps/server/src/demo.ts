import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { FastifyInstance, InjectOptions } from "fastify";
import { buildApp } from "./app.js";
import { runSlaCheck, ticketComments, tickets } from "./modules/tickets/index.js";
import type { Composition } from "./platform/modules.js";
import type { Services } from "./platform/services.js";

/**
 * A realistic Acme Studio for `npm start`: clients, a team, projects in every status with
 * cost, discounts and payments in every state, members and a file, so that every role's
 * first page has something real on it. Everything goes through the public API as the demo
 * users themselves (the salesperson records payments, the verifier decides them), so the
 * rules, the audit log and the events apply exactly as they would for people.
 */

type Json = Record<string, unknown>;
type Demo = { app: FastifyInstance; services: Services; tokens: Map<string, string> };

async function tokenOf(demo: Demo, username: string, userId: string): Promise<string> {
  let token = demo.tokens.get(username);
  if (!token) {
    token = (await demo.services.tokens.issueAccess(userId, randomUUID())).token;
    demo.tokens.set(username, token);
  }
  return token;
}

/** A multipart body with its content type, as `upload` builds it. */
type Upload = { payload: Buffer; headers: Record<string, string> };

async function call<T = Json>(demo: Demo, token: string, method: InjectOptions["method"], url: string, body?: Json | Upload): Promise<T> {
  const authorization = { authorization: `Bearer ${token}` };
  const isUpload = body !== undefined && Buffer.isBuffer(body.payload);
  const response = await demo.app.inject(
    isUpload
      ? { method, url, payload: (body as Upload).payload, headers: { ...authorization, ...(body as Upload).headers } }
      : { method, url, headers: authorization, ...(body === undefined ? {} : { payload: body }) },
  );
  if (response.statusCode >= 300) throw new Error(`demo: ${String(method)} ${url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
  return (response.body ? response.json() : {}) as T;
}

/** A one-page PDF: enough for the file list, the download and the type check. */
const BRIEF_PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
);

function upload(filename: string, content: Buffer): Upload {
  const boundary = "----cairn-demo";
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Fills the demo organization once: nothing is added when it already has clients. */
export async function seedDemoContent(services: Services, composition: Composition, people: Record<string, string>): Promise<boolean> {
  const app = await buildApp(services, composition);
  await app.ready();
  const demo: Demo = { app, services, tokens: new Map() };
  try {
    const as = (role: string) => {
      const userId = people[role];
      if (!userId) throw new Error(`demo: no ${role} user`);
      return tokenOf(demo, role, userId);
    };
    const admin = await as("admin");
    const existing = await call<{ total: number }>(demo, admin, "GET", "/api/clients?org=acme&pageSize=1");
    if (existing.total > 0) return false;
    const sales = await as("salesperson");
    const verifier = await as("verifier");
    const trusted = await as("verified_developer");
    const id = (role: string) => people[role] ?? "";

    const team = await call(demo, admin, "POST", "/api/teams", {
      orgId: "acme",
      name: "Web squad",
      description: "Storefronts and customer portals.",
      managerId: id("project_manager"),
      memberIds: [id("verified_developer"), id("developer")],
    });

    const client = async (body: Json) => call(demo, sales, "POST", "/api/clients", { orgId: "acme", salespersonId: id("salesperson"), ...body });
    const northwind = await client({
      name: "Northwind Traders",
      company: "Northwind Traders Ltd.",
      contactEmail: "buyers@northwind.example",
      notes: "Prefers invoices at month end.",
      customerUserId: id("customer"),
    });
    const globex = await client({ name: "Globex", company: "Globex Corporation", contactEmail: "it@globex.example" });
    const initech = await client({ name: "Initech", company: "Initech LLC", contactEmail: "ops@initech.example" });

    const project = async (token: string, body: Json, status?: string) => {
      const money = body.cost === undefined ? {} : { currency: "USD" };
      const created = await call(demo, token, "POST", "/api/projects", { orgId: "acme", ...money, ...body });
      if (status) await call(demo, token, "PATCH", `/api/projects/${String(created.id)}/status`, { status });
      return String(created.id);
    };
    const storefront = await project(
      sales,
      {
        name: "Northwind storefront",
        key: "SHOP",
        description: "A new web shop with customer accounts and a loyalty programme.",
        clientId: northwind.id,
        cost: "12000.00",
        discount: "1500.00",
        priority: "high",
        startDate: daysFromNow(-40),
        dueDate: daysFromNow(50),
        managerId: id("project_manager"),
      },
      "active",
    );
    const mobile = await project(sales, { name: "Globex mobile app", key: "GLOBX", clientId: globex.id, cost: "30000.00", startDate: daysFromNow(14), dueDate: daysFromNow(120) });
    const migration = await project(
      sales,
      { name: "Initech data migration", key: "MIGR", clientId: initech.id, cost: "8000.00", discount: "500.00", startDate: daysFromNow(-120), dueDate: daysFromNow(-20) },
      "active",
    );
    // Unpaid, and visible to its team, its owner, its client's customer and admins only.
    await project(
      sales,
      { name: "Northwind loyalty programme", key: "LOYAL", clientId: northwind.id, teamId: team.id, visibility: "team", cost: "5000.00", dueDate: daysFromNow(90) },
      "on_hold",
    );
    const crm = await project(sales, { name: "Legacy CRM sunset", key: "CRM", clientId: globex.id, cost: "4000.00", dueDate: daysFromNow(-60) }, "active");
    const designSystem = await project(trusted, { name: "Internal design system", key: "DSYS", description: "Shared components for every Acme product.", teamId: team.id }, "active");

    const pay = async (projectId: string, amount: string, daysAgo: number, reference: string) =>
      String((await call(demo, sales, "POST", `/api/projects/${projectId}/payments`, { amount, method: "bank_transfer", reference, paidOn: daysFromNow(-daysAgo) })).id);
    const decide = (paymentId: string, decision: "approve" | "reject", note?: string) =>
      call(demo, verifier, "POST", `/api/payments/${paymentId}/verify`, { decision, ...(note ? { note } : {}) });

    // Partly paid with one waiting and one rejected typo; paid in full; overpaid; a deposit waiting; unpaid.
    await decide(await pay(storefront, "5000.00", 30, "NW-2026-031"), "approve");
    await pay(storefront, "2000.00", 3, "NW-2026-118");
    await decide(await pay(storefront, "30000.00", 20, "NW-2026-077"), "reject", "Probably a typo: the transfer was 3,000.00. Please record it again.");
    await decide(await pay(migration, "7500.00", 25, "IN-5531"), "approve");
    await decide(await pay(crm, "4200.00", 70, "GX-0042"), "approve");
    await pay(mobile, "6000.00", 2, "GX-DEPOSIT-1");

    await call(demo, sales, "PATCH", `/api/projects/${migration}/status`, { status: "completed" });
    await call(demo, admin, "PATCH", `/api/projects/${crm}/status`, { status: "cancelled" });

    for (const role of ["verified_developer", "developer"]) {
      await call(demo, admin, "POST", `/api/projects/${storefront}/members`, { userId: id(role), role: "member" });
    }
    await call(demo, sales, "POST", `/api/projects/${storefront}/files`, upload("storefront-brief.pdf", BRIEF_PDF));
    await seedDemoTasks(demo, { manager: await as("project_manager"), trusted, developer: await as("developer") }, id, { storefront, designSystem });
    await seedDemoTickets(demo, { customer: await as("customer"), support: await as("support") }, id("support"), storefront);
    return true;
  } finally {
    await app.close();
  }
}

/**
 * Moves a ticket, its comments and its clocks `hours` into the past, as if it had been opened then: the
 * SLA deadlines keep their distance from the opening, so the ticket is as late as it would be now.
 */
async function openedHoursAgo(services: Services, ticketId: string, hours: number): Promise<void> {
  const back = sql`${hours} * interval '1 hour'`;
  await services.database.db.transaction(async (tx) => {
    await tx
      .update(tickets)
      .set({
        createdAt: sql`${tickets.createdAt} - ${back}`,
        updatedAt: sql`${tickets.updatedAt} - ${back}`,
        firstResponseDueAt: sql`${tickets.firstResponseDueAt} - ${back}`,
        firstResponseRiskAt: sql`${tickets.firstResponseRiskAt} - ${back}`,
        resolutionDueAt: sql`${tickets.resolutionDueAt} - ${back}`,
        resolutionRiskAt: sql`${tickets.resolutionRiskAt} - ${back}`,
        firstRespondedAt: sql`${tickets.firstRespondedAt} - ${back}`,
      })
      .where(eq(tickets.id, ticketId));
    await tx
      .update(ticketComments)
      .set({ createdAt: sql`${ticketComments.createdAt} - ${back}` })
      .where(eq(ticketComments.ticketId, ticketId));
  });
}

/**
 * Support tickets of the storefront's customer in every SLA state: one on track being worked on (a
 * public answer, an internal note, the customer's reply), one at risk (its assignee is warned), one
 * breached (escalated by the SLA check to the admins, the project's manager and the assignee) and one
 * resolved. Everything through the API as the customer and the support agent, and the scheduled SLA
 * check itself; only the opening moments of the late ones are moved into the past.
 */
async function seedDemoTickets(demo: Demo, tokens: { customer: string; support: string }, supportId: string, storefront: string): Promise<void> {
  const open = async (title: string, description: string, severity: string) =>
    String((await call(demo, tokens.customer, "POST", "/api/tickets", { projectId: storefront, title, description, severity })).id);
  const answer = (ticketId: string, body: string, internal = false) =>
    call(demo, tokens.support, "POST", `/api/tickets/${ticketId}/comments`, { body, ...(internal ? { internal } : {}) });
  const take = (ticketId: string, status?: string) => call(demo, tokens.support, "PATCH", `/api/tickets/${ticketId}`, { assigneeId: supportId, ...(status ? { status } : {}) });

  const safari = await open(
    "Checkout button does nothing on Safari",
    "On an iPhone with Safari 18, pressing *Pay now* on the checkout page does nothing. Chrome works.",
    "high",
  );
  await take(safari, "in_progress");
  await answer(safari, "Thanks for the report! We can reproduce it on Safari and are on it. We will write as soon as a fix is live.");
  await answer(safari, "Caused by the payment iframe's sandbox attribute, which Safari applies more strictly. SHOP card payments task has the fix.", true);
  await call(demo, tokens.customer, "POST", `/api/tickets/${safari}/comments`, { body: "Great, thank you. Our customers mostly shop on their phones, so this matters a lot to us." });

  // Opened two and a half days ago: less than a fifth of its three days left.
  const emails = await open("Order confirmation emails arrive twice", "Several customers got two confirmation emails for one order since Monday.", "medium");
  await take(emails, "in_progress");
  await answer(emails, "We see the duplicates in the mail log and are looking for the cause.");
  await openedHoursAgo(demo.services, emails, 62);

  // Opened two hours ago, critical, nobody answered within the hour: breached.
  const outage = await open("Storefront returns errors for customers in Europe", "Since this morning customers in Germany and France see an error page at checkout.", "critical");
  await take(outage);
  await openedHoursAgo(demo.services, outage, 2);

  const vat = await open("Invoice PDF shows the wrong VAT number", "The invoices sent with each order show our old VAT number.", "low");
  await take(vat, "in_progress");
  await answer(vat, "Fixed: invoices now carry the VAT number from your account settings. Could you check the next one?");
  await call(demo, tokens.support, "PATCH", `/api/tickets/${vat}`, { status: "resolved" });

  // The scheduled check, as the worker runs it every minute: the breach escalates, the risk warns.
  await runSlaCheck(demo.services);
}

/**
 * Tasks across the board: the storefront planned by its manager (assigned, labelled, one overdue,
 * an epic with sub-tasks, some moved along by the developers themselves), the design system run by
 * the verified developer who owns it, and a few personal to-dos.
 */
async function seedDemoTasks(
  demo: Demo,
  tokens: { manager: string; trusted: string; developer: string },
  id: (role: string) => string,
  projects: { storefront: string; designSystem: string },
): Promise<void> {
  const bulk = async (token: string, projectId: string | null, tasks: Json[]) =>
    (await call<{ ids: string[] }>(demo, token, "POST", "/api/tasks/bulk", { orgId: "acme", ...(projectId ? { projectId } : {}), tasks })).ids;
  const [epic] = await bulk(tokens.manager, projects.storefront, [
    { title: "Checkout", description: "Everything between the cart and the receipt.", priority: "high", labels: ["Epic"], dueDate: daysFromNow(21) },
  ]);
  const dev = id("developer");
  const trustedId = id("verified_developer");
  const shop = await bulk(tokens.manager, projects.storefront, [
    { title: "Cart page with quantities and totals", parentId: epic, assigneeId: dev, priority: "high", labels: ["Frontend"], dueDate: daysFromNow(5), estimateMinutes: 480 },
    { title: "Card payments through the payment provider", parentId: epic, assigneeId: trustedId, priority: "urgent", labels: ["Backend", "Payments"], dueDate: daysFromNow(9), estimateMinutes: 960 },
    { title: "Order confirmation email", parentId: epic, assigneeId: trustedId, labels: ["Backend"], dueDate: daysFromNow(14), estimateMinutes: 240 },
    { title: "Product search with filters", assigneeId: dev, labels: ["Frontend"], dueDate: daysFromNow(-2), estimateMinutes: 600, description: "Filter by category, price and stock." },
    { title: "Customer accounts: sign up and sign in", assigneeId: trustedId, priority: "high", labels: ["Backend"], status: "done" },
    { title: "Home page design", assigneeId: dev, labels: ["Design"], status: "done" },
    { title: "Loyalty points on the account page", priority: "low", labels: ["Frontend"], dueDate: daysFromNow(40) },
    { title: "Accessibility review before launch", priority: "medium", labels: ["QA"], dueDate: daysFromNow(30) },
  ]);
  // The developers move their own cards, as they would on the board.
  await call(demo, tokens.developer, "POST", `/api/tasks/${String(shop[0])}/move`, { status: "in_progress", afterId: null });
  await call(demo, tokens.trusted, "POST", `/api/tasks/${String(shop[1])}/move`, { status: "in_progress" });
  // The work as people talk about it: a question with a mention and its answer, time spent, what waits for what.
  const [cart, cardPayments, confirmationEmail] = shop.map(String);
  await call(demo, tokens.manager, "POST", `/api/tasks/${cart}/comments`, {
    body: "@acme-developer the totals must include **VAT** per line, as in the brief. Can you show it on Thursday's review?",
  });
  await call(demo, tokens.developer, "POST", `/api/tasks/${cart}/comments`, { body: "Yes. Per-line VAT is in; the rounding follows the provider's rules.\n\n- quantities: done\n- coupon field: next" });
  await call(demo, tokens.developer, "POST", `/api/tasks/${cart}/time-entries`, { minutes: 150, spentOn: daysFromNow(-1), note: "Quantities and totals" });
  await call(demo, tokens.developer, "POST", `/api/tasks/${cart}/time-entries`, { minutes: 45, spentOn: daysFromNow(0), note: "VAT per line" });
  await call(demo, tokens.trusted, "POST", `/api/tasks/${cardPayments}/time-entries`, { minutes: 240, spentOn: daysFromNow(-2), note: "Provider sandbox and webhooks" });
  await call(demo, tokens.manager, "POST", `/api/tasks/${confirmationEmail}/dependencies`, { dependsOnId: cardPayments });
  await bulk(tokens.trusted, projects.designSystem, [
    { title: "Button and link styles", assigneeId: trustedId, labels: ["Design"], status: "done" },
    { title: "Form fields with error states", assigneeId: trustedId, labels: ["Design", "Frontend"], status: "in_progress", dueDate: daysFromNow(7) },
    { title: "Dark mode tokens", priority: "low", labels: ["Design"] },
  ]);
  await bulk(tokens.manager, null, [{ title: "Prepare the storefront demo for Northwind", dueDate: daysFromNow(2), priority: "high" }, { title: "Book the sprint review room" }]);
  await bulk(tokens.developer, null, [{ title: "Finish my profile to get verified", priority: "high" }]);
}

