// The console's bulk paths other than a bulk `add` (product-and-bulk.test.ts has that one), in Debian's
// Chromium against the real app with its queue worker: the Bulk page's replace, remove and remove
// all, on users chosen by its filters (guests, unlicensed, a name's start) and by the people picker;
// and the product page's unassign of more than 20 holders, which goes through a bulk job.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { arrangeUsers } from "../support/arrange-users.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM").displayName;
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

/** The SKU ids a user holds now, on the server. */
async function heldBy(tenant: Awaited<ReturnType<typeof newTenant>>, userId: string): Promise<string[]> {
  const response = await tenant.call<{ assignedLicenses: { skuId: string }[] }>(
    "GET",
    `/api/users/${userId}`,
  );
  return response.body.assignedLicenses.map((license) => license.skuId).sort();
}

describe("the Bulk page's other operations", () => {
  it("replaces, removes and removes all, on users found by a filter, a name's start and the people picker", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessBasic, 10);
    await tenant.buy(skus.businessStandard, 10);
    const basic = [{ skuId: skus.businessBasic }];
    const holders = [
      await tenant.user({
        displayName: "Holder One",
        userPrincipalName: "holder1@contoso.example",
        licenses: basic,
      }),
      await tenant.user({
        displayName: "Holder Two",
        userPrincipalName: "holder2@contoso.example",
        licenses: basic,
      }),
      await tenant.user({
        displayName: "Holder Three",
        userPrincipalName: "holder3@contoso.example",
        licenses: basic,
      }),
    ];
    const guests = [
      await tenant.user({ displayName: "Guest Ann", userType: "Guest" }),
      await tenant.user({ displayName: "Guest Bo", userType: "Guest" }),
    ];
    const member = await tenant.user({ displayName: "Member Cy" });

    await signIn(page, app.url, tenant.admin);
    await page.getByRole("link", { name: "Bulk" }).click();
    await page.getByRole("heading", { name: "Bulk" }).waitFor();
    const chosenCount = (count: number) => page.getByText(`${count} users chosen`, { exact: true }).waitFor();
    const addMatching = async (filter: string, prefix?: string) => {
      await page.getByLabel("Filter").selectOption({ label: filter });
      if (prefix) await page.getByLabel("Name starts with").fill(prefix);
      await page.getByRole("button", { name: "Add matching users" }).click();
    };
    const product = (name: string) => page.getByRole("checkbox", { name: new RegExp(`^${name} \\(`) });
    const processed = (text: string) => page.getByText(text).waitFor({ timeout: 60_000 });

    // The unlicensed filter finds the guests and the member, not the holders.
    await addMatching("Unlicensed users");
    await chosenCount(3);
    await page.getByRole("button", { name: "Clear users" }).click();
    await page.getByText("0 users chosen").waitFor();

    // Replace: the holders, found by the start of their names, end with Business Standard alone.
    await addMatching("Name starts with…", "Holder");
    await chosenCount(3);
    await page.getByRole("radio", { name: /^Replace/ }).check();
    await product(businessStandard).check();
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page
      .getByRole("table", { name: "Seats" })
      .getByRole("row", { name: `${businessStandard} 3 10 0` })
      .waitFor();
    await page.getByText("3 of 3 users would succeed; 0 would fail.").waitFor();
    await page.getByRole("button", { name: "Start" }).click();
    await processed("3 of 3 processed (100 %): 3 succeeded, 0 failed");
    for (const holder of holders) expect(await heldBy(tenant, holder.id)).toEqual([skus.businessStandard]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Remove: one holder chosen with the people picker loses Business Standard.
    await page.getByRole("button", { name: "Clear users" }).click();
    await page.getByRole("combobox", { name: "Add a user by name or user name" }).fill("Holder T");
    await page.getByRole("option", { name: /^Holder Two/ }).click();
    await page.getByText("1 user chosen", { exact: true }).waitFor();
    await page.getByRole("radio", { name: /^Remove these licenses/ }).check();
    await page.getByRole("button", { name: "Start" }).click();
    await processed("1 of 1 processed (100 %): 1 succeeded, 0 failed");
    expect(await heldBy(tenant, holders[1]?.id ?? "")).toEqual([]);

    // Remove all: the guests, given Business Basic first, and the other two holders lose everything.
    await page.getByRole("button", { name: "Clear users" }).click();
    await addMatching("Guests");
    await chosenCount(2);
    await page.getByRole("radio", { name: /^Add licenses/ }).check();
    await product(businessStandard).uncheck();
    await product(businessBasic).check();
    await page.getByRole("button", { name: "Start" }).click();
    await processed("2 of 2 processed (100 %): 2 succeeded, 0 failed");
    for (const guest of guests) expect(await heldBy(tenant, guest.id)).toEqual([skus.businessBasic]);

    await page.getByRole("button", { name: "Clear users" }).click();
    await addMatching("Guests");
    await addMatching("Name starts with…", "Holder");
    await chosenCount(5);
    await page.getByRole("radio", { name: "Remove all licenses" }).check();
    // No product to choose: remove all takes every license the users hold.
    expect(await product(businessBasic).count()).toBe(0);
    await page.getByRole("button", { name: "Start" }).click();
    // It asks first (bulk-import.test.ts checks what the question says).
    await page
      .getByRole("dialog", { name: "Remove all licenses from 5 users?" })
      .getByRole("button", { name: "Remove all licenses" })
      .click();
    await processed("5 of 5 processed (100 %): 5 succeeded, 0 failed");
    for (const user of [...guests, ...holders]) expect(await heldBy(tenant, user.id)).toEqual([]);
    expect(await heldBy(tenant, member.id)).toEqual([]);
    expect(await tenant.sku(skus.businessStandard)).toMatchObject({ consumedUnits: 0, availableUnits: 10 });
    expect(await tenant.sku(skus.businessBasic)).toMatchObject({ consumedUnits: 0, availableUnits: 10 });
    await screenshot(page, "bulk-remove-all");
  }, 180_000);
});

describe("the product page with more than 20 users", () => {
  it("unassigns 25 holders ticked on a page through a bulk job, showing its progress", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessBasic, 30);
    const users = await arrangeUsers(app, tenant.tenantId, 30);
    const assigned = await tenant.call("POST", `/api/subscribedSkus/${skus.businessBasic}/assign`, {
      userIds: users.map((user) => user.id),
    });
    expect(assigned.status).toBe(200);

    await signIn(page, app.url, tenant.admin);
    await page.goto(`${app.url}/licenses/${skus.businessBasic}`);
    const table = page.getByRole("table", { name: `Users with ${businessBasic}` });
    await expect.poll(() => table.getByRole("row").count(), { timeout: 30_000 }).toBe(26);
    await table.getByRole("checkbox", { name: "Select every user on this page" }).check();
    await page.getByRole("button", { name: "Unassign licenses (25)" }).click();

    const dialog = page.getByRole("dialog", { name: `Unassign ${businessBasic}` });
    await dialog.getByText(`${businessBasic} will be taken from 25 users`).waitFor();
    await dialog.getByRole("button", { name: "Unassign" }).click();
    await dialog.getByText("25 of 25 processed (100 %): 25 succeeded, 0 failed").waitFor({ timeout: 60_000 });
    expect(
      await dialog.getByRole("progressbar", { name: "Job progress" }).getAttribute("aria-valuenow"),
    ).toBe("1");
    await dialog.getByRole("button", { name: "Close" }).click();
    await page.getByText(`Unassigning ${businessBasic}: 25 of 25 succeeded, 0 failed.`).waitFor();
    await page.getByText("25 of 30 available").first().waitFor();
    expect(await tenant.sku(skus.businessBasic)).toMatchObject({ consumedUnits: 5, availableUnits: 25 });
  }, 120_000);
});
