// The Jobs page in Debian's Chromium against the real app with its queue worker: a bulk job started on
// the Bulk page is still listed, by its name in words, after leaving the page, and reaches Succeeded
// there; a group's license job is named after its group; a job opens on its own page with its results.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessBasic = productOf("O365_BUSINESS_ESSENTIALS").displayName;

let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterEach(async () => {
  await page.close();
});

describe("the Jobs page", () => {
  it("lists a bulk job started on the Bulk page after leaving it, by name, until it succeeds", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessBasic, 10);
    await tenant.user({ displayName: "Jobs Ann" });
    await tenant.user({ displayName: "Jobs Bo" });
    const member = await tenant.user({ displayName: "Member Cy" });
    const group = await tenant.call<{ id: string }>("POST", "/api/groups", {
      displayName: "Sales team",
      mailNickname: "salesteam",
      securityEnabled: true,
      mailEnabled: false,
      "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${member.id}`],
    });
    expect(group.status).toBe(201);
    const assigned = await tenant.call("POST", `/api/groups/${group.body.id}/assignLicense`, {
      addLicenses: [{ skuId: skus.businessBasic, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(assigned.status).toBeLessThan(300);

    await signIn(page, app.url, tenant.admin);
    const nav = page.getByRole("navigation", { name: "Admin center" });
    await nav.getByRole("link", { name: "Bulk" }).click();
    await page.getByRole("heading", { name: "Bulk" }).waitFor();
    await page.getByLabel("Filter").selectOption({ label: "Name starts with…" });
    await page.getByLabel("Name starts with").fill("Jobs ");
    await page.getByRole("button", { name: "Add matching users" }).click();
    await page.getByText("2 users chosen", { exact: true }).waitFor();
    await page.getByRole("checkbox", { name: new RegExp(`^${businessBasic} \\(`) }).check();
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("link", { name: "See it on the Jobs page" }).waitFor();

    // Leave the Bulk page at once: the job stays listed on the Jobs page.
    await nav.getByRole("link", { name: "Users" }).click();
    await nav.getByRole("link", { name: "Jobs" }).click();
    await page.getByRole("heading", { name: "Jobs", level: 1 }).waitFor();
    const jobs = page.getByRole("table", { name: "Recent jobs" });
    const bulkRow = jobs.getByRole("row", {
      name: new RegExp(`^Add ${businessBasic} to 2 users, started \\d`),
    });
    await bulkRow
      .filter({ hasText: "Succeeded" })
      .filter({ hasText: "2 of 2 processed: 2 succeeded, 0 failed" })
      .waitFor({ timeout: 60_000 });
    await jobs
      .getByRole("row", {
        name: new RegExp(`^Give the licenses of Sales team \\(${businessBasic}\\) to 1 member`),
      })
      .filter({ hasText: "Succeeded" })
      .waitFor({ timeout: 60_000 });
    // Running jobs only have a bar: none is left.
    expect(await jobs.getByRole("progressbar").count()).toBe(0);
    await screenshot(page, "jobs");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // A job opens on its own page with its results.
    await bulkRow.getByRole("link").click();
    await page.getByRole("heading", { name: "Job", level: 1 }).waitFor();
    await page.getByText(new RegExp(`^Add ${businessBasic} to 2 users, started .*: Succeeded$`)).waitFor();
    await page.getByText("No user failed.").waitFor();
    await page.getByRole("checkbox", { name: "Failures only" }).uncheck();
    const results = page.getByRole("table", { name: "Job results" });
    await results.getByRole("row", { name: "Jobs Ann Succeeded" }).waitFor();
    await results.getByRole("row", { name: "Jobs Bo Succeeded" }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole("link", { name: "All jobs" }).click();
    await jobs.waitFor();
  }, 120_000);
});
