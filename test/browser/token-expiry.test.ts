// A pasted token's session running out, in Debian's Chromium against the real app: the console warns
// five minutes before the token's `exp`, says "expired" (with the time) on the next action, opens
// the sign-in dialog over the page, and after signing in again the page is as it was, unsaved change
// included, and Save works. The browser's clock is Playwright's, moved on rather than waited for.
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterEach(async () => {
  await page.close();
});

/** "8:25 PM": a time as the console writes it (en-US, the browser's language here). */
const timeOf = (date: Date) => new Intl.DateTimeFormat("en-US", { timeStyle: "short" }).format(date);

describe("a session whose token expires", () => {
  it("warns before it ends, says expired on Save, and keeps the unsaved change through signing in again", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    const user = await tenant.user({ displayName: "Lee Gu" });
    const token = await app.token(tenant.tenantId, { expiresIn: "10m" });
    const exp = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()).exp as number;
    const expiresAt = new Date(exp * 1000);
    // The browser's clock runs from now as usual until the test moves it on.
    await page.clock.install();

    await signIn(page, app.url, token);
    const warning = page.getByRole("alert").filter({ hasText: /^Your session/ });
    await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
    await page.getByRole("link", { name: "Lee Gu", exact: true }).waitFor();
    expect(await warning.count()).toBe(0);

    // Five minutes before the end: a warning with "Sign in again".
    await page.clock.fastForward("05:01");
    await warning.filter({ hasText: `Your session ends at ${timeOf(expiresAt)}` }).waitFor();
    await warning.getByRole("button", { name: "Sign in again" }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "token-expiry-warning");

    // A change not saved yet when the session ends.
    await page.getByRole("link", { name: "Lee Gu", exact: true }).click();
    const panel = page.getByRole("dialog", { name: "Lee Gu" });
    const license = panel.getByRole("checkbox", { name: new RegExp(`^${businessStandard} \\(2 of 2`) });
    await license.check();
    await page.clock.fastForward("05:00");
    await panel.getByRole("button", { name: "Save changes" }).click();

    // Save says why it was not done, and the sign-in dialog opens over the page saying "expired".
    const dialog = page.getByRole("alertdialog", { name: "Sign in to License Manager" });
    await dialog.getByText(`Your session expired at ${timeOf(expiresAt)}`, { exact: false }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "token-expiry-dialog");

    // A fresh token (its exp beyond the browser's moved clock) in the same dialog, over the same page.
    await dialog.getByLabel("Bearer token").fill(await app.token(tenant.tenantId, { expiresIn: "1h" }));
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await dialog.waitFor({ state: "hidden" });
    const notSaved = panel.getByRole("alert", { name: "Not saved" });
    await notSaved.getByText(`your session expired at ${timeOf(expiresAt)}`, { exact: false }).waitFor();
    expect(await license.isChecked()).toBe(true);
    // The new token's session is far from its end: no warning behind the panel either.
    expect(await page.getByText(/^Your session (ends|expired) at/).count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved the licenses and apps of Lee Gu.").waitFor();
    const saved = await tenant.call<{ assignedLicenses: { skuId: string }[] }>(
      "GET",
      `/api/users/${user.id}`,
    );
    expect(saved.body.assignedLicenses.map((held) => held.skuId)).toEqual([skus.businessStandard]);
  }, 60_000);
});
