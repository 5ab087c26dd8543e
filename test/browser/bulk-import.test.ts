// The Bulk page's CSV import and its warnings, in Debian's Chromium against the real app with its
// queue worker: a `;`-separated file with a BOM, Swedish letters, a quoted field, an unknown user and
// a malformed line chooses the right users and names the bad lines; an add job; Remove all asks first,
// naming the count and the date the data goes; the choice outlives a visit to another page; the
// product page's Unassign dialog warns too. axe in every state.
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

/** What the admin center's Swedish export looks like when Excel saves it: BOM, `;`, CRLF. */
const csv = [
  "\uFEFFVisningsnamn;Användarnamn;Avdelning",
  '"Öberg; Åsa";asa.oberg@contoso.example;Försäljning',
  'Björn Ström;bjorn.strom@contoso.example;"Ekonomi ""Nord"""',
  "Okänd Person;okand@contoso.example;Lager",
  "Trasig rad;inte ett namn;Lager",
  "",
].join("\r\n");

/**
 * A table (by its accessible name) shown as stacked cards. (Whether the page as a whole fits 390 px is
 * the header's and navigation's matter, and the phone tests'.)
 */
async function expectStacked(name: string): Promise<void> {
  await page.getByRole("table", { name }).waitFor();
  const selector = JSON.stringify(`table[aria-label="${name}"]`);
  expect(await page.evaluate<string>(`getComputedStyle(document.querySelector(${selector})).display`)).toBe(
    "block",
  );
}

/** The date, as the console writes it, on which data given up now goes for good. */
async function dataLossDate(): Promise<string> {
  const config = await fetch(`${app.url}/api/console/config`).then(
    (response) => response.json() as Promise<{ retentionSeconds: number }>,
  );
  const lang = (await page.getAttribute("html", "lang")) ?? "en";
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium" }).format(
    new Date(Date.now() + config.retentionSeconds * 1000),
  );
}

describe("the Bulk page's CSV import", () => {
  it("chooses a file's users, names its bad lines, keeps them across pages, and asks before removing all", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessBasic, 10);
    const asa = await tenant.user({
      displayName: "Åsa Öberg",
      userPrincipalName: "asa.oberg@contoso.example",
    });
    const bjorn = await tenant.user({
      displayName: "Björn Ström",
      userPrincipalName: "bjorn.strom@contoso.example",
    });
    await tenant.user({ displayName: "Not In File" });
    const heldBy = async (userId: string) =>
      (
        await tenant.call<{ assignedLicenses: { skuId: string }[] }>("GET", `/api/users/${userId}`)
      ).body.assignedLicenses.map((license) => license.skuId);

    await signIn(page, app.url, tenant.admin);
    await page.getByRole("link", { name: "Bulk" }).click();
    await page.getByRole("heading", { name: "Bulk" }).waitFor();
    await page.getByLabel("Import from CSV file").setInputFiles({
      name: "anställda.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv, "utf8"),
    });

    // The two users the file names, and each bad line by its number and value.
    await page.getByText("anställda.csv: 2 users added. 2 lines not added:").waitFor();
    const problems = page.getByRole("list", { name: "Lines not added" }).getByRole("listitem");
    expect(await problems.allTextContents()).toEqual([
      "Line 4: okand@contoso.example: no user has this name or id",
      "Line 5: inte ett namn: not a user name (name@domain) or an object id",
    ]);
    await page.getByText("2 users chosen", { exact: true }).waitFor();
    await page.getByText("Åsa Öberg and Björn Ström").waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // An add job for them, previewed at phone width first: the seats table is a card of lines.
    await page.getByRole("checkbox", { name: new RegExp(`^${businessBasic} \\(`) }).check();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await expectStacked("Seats");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("button", { name: "Start" }).click();
    await page.getByText(/^Add .* to 2 users, started .*: Succeeded$/).waitFor({ timeout: 60_000 });
    expect(await heldBy(asa.id)).toEqual([skus.businessBasic]);
    expect(await heldBy(bjorn.id)).toEqual([skus.businessBasic]);

    // Remove all warns on the page, then asks, naming the count and the date the data goes.
    await page.getByRole("radio", { name: "Remove all licenses" }).check();
    const date = await dataLossDate();
    const warning = `The mailboxes and files of these 2 users that come with the license are kept for 30 days, until ${date}, and then deleted for good.`;
    await page.getByText(warning).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Start" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove all licenses from 2 users?" });
    await confirm.getByText(warning).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Cancel starts nothing, and focus is back on Start.
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "hidden" });
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("Start");
    expect(await heldBy(asa.id)).toEqual([skus.businessBasic]);
    await page.getByRole("button", { name: "Start" }).click();
    await confirm.getByRole("button", { name: "Remove all licenses" }).click();
    await page
      .getByText(/^Remove all licenses from 2 users, started .*: Succeeded$/)
      .waitFor({ timeout: 60_000 });
    expect(await heldBy(asa.id)).toEqual([]);
    expect(await heldBy(bjorn.id)).toEqual([]);

    // Another page and back: the choice, the operation and the job are still there.
    const nav = page.getByRole("navigation", { name: "Admin center" });
    await nav.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await nav.getByRole("link", { name: "Bulk" }).click();
    await page.getByText("2 users chosen", { exact: true }).waitFor();
    await page.getByText("Åsa Öberg and Björn Ström").waitFor();
    expect(await page.getByRole("radio", { name: "Remove all licenses" }).isChecked()).toBe(true);
    await page.getByText(/^Remove all licenses from 2 users, started .*: Succeeded$/).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "bulk-import");
  }, 90_000);

  it("shows the data-loss warning in the product page's Unassign dialog, at phone width", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessBasic, 5);
    const holder = await tenant.user({ displayName: "Holder Håkan" });
    expect(
      (await tenant.assign(holder.id, { addLicenses: [{ skuId: skus.businessBasic }], removeLicenses: [] }))
        .status,
    ).toBe(200);

    await signIn(page, app.url, tenant.admin);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${app.url}/licenses/${skus.businessBasic}`);
    await page.getByRole("checkbox", { name: "Select Holder Håkan" }).check();
    await expectStacked(`Users with ${businessBasic}`);
    await page.getByRole("button", { name: "Unassign licenses (1)" }).click();
    const dialog = page.getByRole("dialog", { name: `Unassign ${businessBasic}` });
    await dialog
      .getByText(
        `The user's mailbox and files that come with the license are kept for 30 days, until ${await dataLossDate()}, and then deleted for good.`,
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);
});
