// A product's subscriptions in Debian's Chromium, on the seeds' demo tenant (local/seed.ts) in a
// tenant of its own: "5 + 8 = 13", seats removed but never below what is assigned (the server's own
// words), a self-service subscription taken over, and only billing rights offered the buttons.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDemoTenant } from "../../local/seed.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM").displayName;
const businessPremium = productOf("SPB").displayName;
const exchangePlan1 = productOf("EXCHANGESTANDARD").displayName;

interface Subscription {
  readonly id: string;
  readonly skuId: string;
  readonly seats: number;
  readonly purchaseChannel: "Admin" | "SelfService";
}

let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ triggers: false }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterEach(async () => {
  await page.close();
});

/** The seeds' demo tenant, under a tenant id of its own, with a Global Administrator's token. */
async function seededTenant() {
  const tenantId = randomUUID();
  await seedDemoTenant(app.services.deps, tenantId);
  const admin = await app.token(tenantId);
  const subscriptions = async () =>
    (await app.call<{ value: Subscription[] }>("GET", "/api/subscriptions", { token: admin })).body.value;
  return { tenantId, admin, subscriptions };
}

/** The start of a subscription's name in words (product and channel), as the console names it, never its id. */
const named = (product: string, channel: "Admin" | "Self-service (bought by a user)") =>
  `${product}, ${channel}, bought `;

/** From the Licenses page to a product's subscriptions, by its link. */
async function openSubscriptions(name: string, count: number) {
  await page.getByRole("link", { name: `${name}: ${count} subscription${count === 1 ? "" : "s"}` }).click();
  await page.getByRole("heading", { name: `${name}: subscriptions` }).waitFor();
}

describe("a product's subscriptions", () => {
  it("lists Business Premium's two subscriptions of 5 and 8 as 5 + 8 = 13, with no serious accessibility violation", async () => {
    const tenant = await seededTenant();
    const premium = (await tenant.subscriptions()).filter((s) => s.skuId === skus.businessPremium);
    expect(premium.map((s) => s.seats).sort((a, b) => a - b)).toEqual([5, 8]);

    await signIn(page, app.url, tenant.admin);
    await openSubscriptions(businessPremium, 2);
    await page.getByText("Valid licenses: 5 + 8 = 13, in 2 enabled subscriptions; 0 assigned.").waitFor();
    const table = page.getByRole("table", { name: `Subscriptions of ${businessPremium}` });
    for (const subscription of premium) {
      const row = table
        .getByRole("row")
        .filter({ has: page.getByRole("cell", { name: String(subscription.seats), exact: true }) });
      await row.getByRole("cell", { name: /^Bought .+ by an admin$/ }).waitFor();
      await row.getByRole("cell", { name: "Active" }).waitFor();
      await row.getByRole("cell", { name: "Admin", exact: true }).waitFor();
    }
    expect(page.url()).toBe(`${app.url}/licenses/${skus.businessPremium}/subscriptions`);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "subscriptions");
  }, 90_000);

  it("removes seats, and refuses to go below what is assigned, saying so by the problem's code with its counts", async () => {
    const tenant = await seededTenant();
    const [standard] = (await tenant.subscriptions()).filter((s) => s.skuId === skus.businessStandard);
    if (!standard) throw new Error("the seeds have no Business Standard subscription");
    // The same request as the console's, sent directly: all or nothing, so it changes nothing.
    const refused = await app.call("PATCH", `/api/subscriptions/${standard.id}`, {
      token: tenant.admin,
      body: { seats: 0 },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("SeatsBelowAssigned");

    await signIn(page, app.url, tenant.admin);
    await openSubscriptions(businessStandard, 1);
    await page
      .getByRole("button", { name: `Remove seats from ${named(businessStandard, "Admin")}`, exact: false })
      .click();
    const dialog = page.getByRole("dialog", { name: "Remove licenses" });
    await dialog.getByLabel(/^Number of licenses to remove/).fill("25");
    await dialog.getByRole("button", { name: "Remove" }).click();
    // By its code, with the problem's own counts.
    const [below] = refused.body.errors as { assigned: number; enabledAfterChange: number }[];
    expect(below?.enabledAfterChange).toBe(0);
    await dialog
      .getByText(
        `${businessStandard} has ${below?.assigned} licenses assigned; this change would leave 0. Unassign ${below?.assigned} first, or keep more licenses.`,
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "subscriptions-remove-refused");

    await dialog.getByLabel(/^Number of licenses to remove/).fill("20");
    await dialog.getByRole("button", { name: "Remove" }).click();
    await page.getByText(`Removed 20 licenses from ${named(businessStandard, "Admin")}`).waitFor();
    await page.getByText("Valid licenses: 5, in 1 enabled subscription; 1 assigned.").waitFor();
    expect((await tenant.subscriptions()).find((s) => s.id === standard.id)?.seats).toBe(5);
  }, 90_000);

  it("takes over the self-service Exchange Online subscription, whose licenses become assignable", async () => {
    const tenant = await seededTenant();
    const [selfService] = (await tenant.subscriptions()).filter((s) => s.purchaseChannel === "SelfService");
    if (!selfService) throw new Error("the seeds have no self-service subscription");

    await signIn(page, app.url, tenant.admin);
    await openSubscriptions(exchangePlan1, 1);
    await page.getByText("2 more bought by users themselves (self-service).").waitFor();
    await page.getByRole("cell", { name: "Self-service (bought by a user)", exact: true }).waitFor();
    await page
      .getByRole("button", { name: `Take over ${named(exchangePlan1, "Self-service (bought by a user)")}` })
      .click();
    const dialog = page.getByRole("dialog", { name: "Take over this subscription" });
    await dialog
      .getByText(`A user bought ${named(exchangePlan1, "Self-service (bought by a user)")}`)
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Take over" }).click();
    await page.getByText(`Took over ${named(exchangePlan1, "Self-service (bought by a user)")}`).waitFor();
    await page.getByRole("cell", { name: "Admin", exact: true }).waitFor();
    await page.getByText("Valid licenses: 2, in 1 enabled subscription; 0 assigned.").waitFor();
    expect((await tenant.subscriptions()).find((s) => s.id === selfService.id)?.purchaseChannel).toBe(
      "Admin",
    );

    await page.getByRole("link", { name: "Licenses" }).first().click();
    await page
      .getByRole("row", { name: new RegExp(`^${exchangePlan1.replace(/[()]/g, "\\$&")}`) })
      .getByText("2 of 2 available")
      .waitFor();
  }, 90_000);

  it("shows a license administrator the subscriptions but no billing action", async () => {
    const tenant = await seededTenant();
    const reader = await app.token(tenant.tenantId, { roles: ["LicenseAdministrator"] });
    await signIn(page, app.url, reader);
    await openSubscriptions(exchangePlan1, 1);
    await page.getByRole("cell", { name: "Self-service (bought by a user)", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: /^Take over/ }).count()).toBe(0);
    expect(await page.getByRole("columnheader", { name: "Actions" }).count()).toBe(0);
    await page.goto(`${app.url}/licenses/${skus.businessPremium}/subscriptions`);
    await page.getByText("Valid licenses: 5 + 8 = 13, in 2 enabled subscriptions; 0 assigned.").waitFor();
    expect(await page.getByRole("button", { name: /^Remove seats/ }).count()).toBe(0);
  }, 90_000);
});
