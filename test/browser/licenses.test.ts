// The console's Licenses page in Debian's Chromium, against the real app (local host, Azurite): the
// seeds' "24 of 25 available", what each role may do, and the server's own words for a refusal.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM").displayName;

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

const productRow = (name: string) => page.getByRole("row", { name: new RegExp(`^${name}`) });

describe("the Licenses page", () => {
  it("shows 24 of 25 available after buying 25 licenses and assigning 1, with no serious accessibility violation", async () => {
    const tenant = await newTenant(app);
    const user = await tenant.user({ displayName: "Adele Vance" });

    const script = page.waitForResponse((response) => /\/assets\/index-[^/]+\.js$/.test(response.url()));
    await page.goto(app.url);
    await page.getByRole("alertdialog", { name: "Sign in to License Manager" }).waitFor();
    // The bundle goes compressed as the build wrote it (Chromium accepts br), cached for good.
    expect(await (await script).allHeaders()).toMatchObject({
      "content-encoding": "br",
      "cache-control": "public, max-age=31536000, immutable",
    });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sign-in");
    await signIn(page, app.url, tenant.admin);
    await page.getByText("This organization has no products yet.").waitFor();

    await page.getByRole("button", { name: "Buy licenses" }).click();
    const buy = page.getByRole("dialog", { name: "Buy licenses" });
    await buy.getByLabel(/^Product\b/).selectOption({ label: businessStandard });
    await buy.getByLabel("Number of licenses").fill("25");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await buy.getByRole("button", { name: "Buy" }).click();
    await productRow(businessStandard).getByText("25 of 25 available").waitFor();

    await page.getByRole("button", { name: `Assign ${businessStandard}` }).click();
    const assign = page.getByRole("dialog", { name: `Assign ${businessStandard}` });
    await assign.getByRole("combobox", { name: "Users" }).fill("adele");
    await page.getByRole("option", { name: `Adele Vance (${user.userPrincipalName})` }).click();
    await assign.getByRole("button", { name: "Assign" }).click();
    await productRow(businessStandard).getByText("24 of 25 available").waitFor();
    await page.getByText(`Assigned ${businessStandard} to Adele Vance.`).waitFor();

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "licenses");
    expect((await tenant.sku(skus.businessStandard)).availableUnits).toBe(24);
  }, 90_000);

  it("lets a billing administrator buy licenses but offers no assignment", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const billing = await app.token(tenant.tenantId, { roles: ["BillingAdministrator"] });

    await signIn(page, app.url, billing);
    await productRow(businessStandard).getByText("5 of 5 available").waitFor();
    expect(await page.getByRole("button", { name: "Buy licenses" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: /^Assign/ }).count()).toBe(0);
    expect(await page.getByRole("columnheader", { name: "Actions" }).count()).toBe(0);
  }, 60_000);

  it("shows an assignment refused for want of licenses by its code, naming the product and the counts", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 1);
    const [first, second] = [await tenant.user(), await tenant.user()];
    const body = { addLicenses: [{ skuId: skus.businessStandard, disabledPlans: [] }], removeLicenses: [] };
    expect((await tenant.assign(first.id, body)).status).toBe(200);
    // The same request, as a dry run, gives the problem the console must show by its code, in words.
    const refused = await tenant.assign(second.id, body, "?dryRun=true");
    expect(refused.body.code).toBe("CountViolation");

    await signIn(page, app.url, tenant.admin);
    await productRow(businessStandard).getByText("0 of 1 available").waitFor();
    await page.getByRole("button", { name: `Assign ${businessStandard}` }).click();
    const assign = page.getByRole("dialog", { name: `Assign ${businessStandard}` });
    await assign.getByRole("combobox", { name: "Users" }).fill(second.userPrincipalName);
    await page.getByRole("option", { name: new RegExp(second.userPrincipalName) }).click();
    await assign.getByRole("button", { name: "Assign" }).focus();
    await page.keyboard.press("Enter");
    await assign
      .getByText(
        `Not enough licenses available: ${businessStandard} needs 1 more (0 available). Buy more licenses or unassign some first.`,
      )
      .waitFor();
    // Focus stayed on Assign while it was busy, rather than falling to <body>.
    expect(await page.evaluate("document.activeElement?.textContent")).toBe("Assign");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "licenses-refused");
  }, 60_000);

  it("works from the keyboard: Enter opens the buy dialog, which takes focus, Escape gives it back, Enter buys", async () => {
    const tenant = await newTenant(app);
    await signIn(page, app.url, tenant.admin);
    await page.getByText("This organization has no products yet.").waitFor();

    await page.getByRole("button", { name: "Buy licenses" }).focus();
    await page.keyboard.press("Enter");
    const buy = page.getByRole("dialog", { name: "Buy licenses" });
    await buy.getByLabel(/^Product\b/).waitFor();
    expect(await buy.locator(":focus").count()).toBe(1);
    await page.keyboard.press("Escape");
    await buy.waitFor({ state: "hidden" });
    // Fluent gives focus back once the dialog's exit motion has ended, a moment after it hides.
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("Buy licenses");

    await page.keyboard.press("Enter");
    await buy.getByLabel(/^Product\b/).selectOption({ label: businessStandard });
    await buy.getByLabel("Number of licenses").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("3");
    await page.keyboard.press("Enter");
    await productRow(businessStandard).getByText("3 of 3 available").waitFor();
  }, 60_000);

  it("asks to sign in again when the service does not accept the token", async () => {
    const stranger = await app.token(randomUUID(), { issuer: "https://someone-else.example/" });
    await page.goto(app.url);
    await page.getByLabel("Bearer token").fill(stranger);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The service did not accept that token (401): sign in again.").waitFor();
  }, 60_000);
});
