// The console from the keyboard only (after sign-in): Tab, Shift+Tab, the arrow keys, Enter, Space,
// Escape and typing, as someone who uses no mouse does. The product page's people picker and service
// switches, the user panel, and the Bulk page, each ending with what the server now holds; at every
// step focus must be on the control expected (by role and accessible name) and drawn visibly, and
// after a dialog or drawer closes it must be back where it was, not lost to <body>.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { plans, productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM");
const businessBasic = productOf("O365_BUSINESS_ESSENTIALS");

interface UserBody {
  readonly id: string;
  readonly displayName: string;
  readonly assignedLicenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
}

let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // The queue worker runs too: the Bulk page's job goes through it.
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

/** The focused control as the accessibility tree has it: `role "name"`, or "<body>" when nothing is. */
async function focused(): Promise<string> {
  const element = page.locator(":focus");
  if ((await element.count()) === 0) return "<body>";
  const snapshot = await element.ariaSnapshot({ timeout: 2_000 });
  // The first line's role and name (YAML quotes the line when the name has a colon); no states, no children.
  const match = /^- '?([a-z]+)(?: "((?:[^"\\]|\\.)*)")?/.exec(snapshot);
  if (!match) return snapshot;
  return match[2] === undefined ? `${match[1]}` : `${match[1]} "${match[2]}"`;
}

/** Focus is drawn: the browser shows it (:focus-visible) and Fluent's focus ring is on it or its control. */
async function focusIsVisible(): Promise<boolean> {
  // Fluent draws the ring on the element itself (buttons, links) or on the control around a native
  // input (checkbox, switch, radio, text box) through these attributes; a native outline also counts.
  return page.evaluate<boolean>(`(() => {
    const element = document.activeElement;
    if (!element || element === document.body || !element.matches(":focus-visible")) return false;
    if (element.closest("[data-fui-focus-visible], [data-fui-focus-within]")) return true;
    const style = getComputedStyle(element);
    return style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0;
  })()`);
}

/** Asserts the focused control and that its focus is drawn. */
async function expectFocusOn(control: string | RegExp): Promise<void> {
  await expect.poll(focused).toMatch(typeof control === "string" ? exact(control) : control);
  expect(await focusIsVisible(), `focus on ${control} is not drawn`).toBe(true);
}

const exact = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

/**
 * Presses `key` (Tab by default) until `control` (`role "name"`) has focus; fails with the controls
 * passed on the way if it is not reached within `max` presses.
 */
async function pressUntil(control: string | RegExp, key = "Tab", max = 40): Promise<void> {
  const wanted = typeof control === "string" ? exact(control) : control;
  const passed: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    const now = await focused();
    if (wanted.test(now)) return expectFocusOn(control);
    passed.push(now);
  }
  throw new Error(`${control} not reached by ${key} in ${max} presses; passed: ${passed.join(" → ")}`);
}

/** Signs in (with the mouse, as every browser test does) and starts at the navigation's first link. */
async function signInAndStartAtNav(token: string): Promise<void> {
  await signIn(page, app.url, token);
  const first = page.getByRole("navigation", { name: "Admin center" }).getByRole("link").first();
  // The closing sign-in dialog hands focus back, which can land after this focus and take it to
  // <body>: start over until the keyboard reaches the link.
  await expect
    .poll(async () => {
      await first.focus();
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Tab");
      return focused();
    })
    .toMatch(exact('link "Licenses"'));
  await expectFocusOn('link "Licenses"');
}

describe("the console from the keyboard", () => {
  it("product page: picks people by typing and arrows, removes one with Enter, switches a service off with Space, assigns with Enter, and gives focus back", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const megan = await tenant.user({
      displayName: "Megan Bowen",
      userPrincipalName: "megan@contoso.example",
    });
    await tenant.user({ displayName: "Alex Wilber", userPrincipalName: "alexw@contoso.example" });

    await signInAndStartAtNav(tenant.admin);
    await pressUntil(`link "${businessStandard.displayName}"`);
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: businessStandard.displayName, level: 1 }).waitFor();
    await page.getByText("5 of 5 available").waitFor();

    await pressUntil('button "Assign licenses"');
    await page.keyboard.press("Enter");
    const assign = page.getByRole("dialog", { name: `Assign ${businessStandard.displayName}` });
    await assign.waitFor();
    await expectFocusOn('combobox "Users"');

    // Type the start of a name, ArrowDown to the option, Enter chooses it.
    await page.keyboard.type("meg");
    await page.getByRole("option", { name: "Megan Bowen (megan@contoso.example)" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await assign.getByRole("button", { name: "Remove Megan Bowen" }).waitFor();
    await expectFocusOn('combobox "Users"');
    await page.keyboard.type("ale");
    await page.getByRole("option", { name: "Alex Wilber (alexw@contoso.example)" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await assign.getByRole("button", { name: "Remove Alex Wilber" }).waitFor();

    // Alex was a mistake: his Remove button, reached by Tab, works with Enter; focus stays in the picker.
    await pressUntil('button "Remove Alex Wilber"');
    await page.keyboard.press("Enter");
    await assign.getByRole("button", { name: "Remove Alex Wilber" }).waitFor({ state: "detached" });
    await expectFocusOn('combobox "Users"');

    // Tab reaches the service switches; Space turns SharePoint off, and Office for the web with it.
    await pressUntil('switch "SharePoint (Plan 1)"');
    await page.keyboard.press("Space");
    const services = assign.getByRole("group", { name: `${businessStandard.displayName} apps and services` });
    await services
      .getByText("Turning off SharePoint (Plan 1) turns off Office for the web too", { exact: false })
      .waitFor();
    expect(await services.getByRole("switch", { name: "SharePoint (Plan 1)" }).isChecked()).toBe(false);
    expect(await services.getByRole("switch", { name: "Office for the web" }).isChecked()).toBe(false);
    await expectFocusOn('switch "SharePoint (Plan 1)"');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "keyboard-product-assign");

    await pressUntil('button "Assign"');
    await page.keyboard.press("Enter");
    await assign.waitFor({ state: "hidden" });
    await page.getByText(`Assigned ${businessStandard.displayName} to Megan Bowen.`).waitFor();
    await expectFocusOn('button "Assign licenses"');

    const saved = await tenant.call<UserBody>("GET", `/api/users/${megan.id}`);
    expect(saved.body.assignedLicenses).toHaveLength(1);
    expect([...(saved.body.assignedLicenses[0]?.disabledPlans ?? [])].sort()).toEqual(
      [plans.SHAREPOINTSTANDARD.servicePlanId, plans.SHAREPOINTWAC.servicePlanId].sort(),
    );
    expect(await tenant.sku(skus.businessStandard)).toMatchObject({ consumedUnits: 1 });
  }, 120_000);
  it("user panel: Enter on a user's name opens it, Space checks a product and switches a service off, Enter saves, Escape closes it and gives focus back", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const alex = await tenant.user({ displayName: "Alex Wilber" });
    await tenant.user({ displayName: "Lynne Robbins" });

    await signInAndStartAtNav(tenant.admin);
    await pressUntil('link "Users"');
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
    await page.getByRole("link", { name: "Lynne Robbins", exact: true }).waitFor();

    await pressUntil('link "Alex Wilber"');
    await page.keyboard.press("Enter");
    const panel = page.getByRole("dialog", { name: "Alex Wilber" });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    expect(await panel.locator(":focus").count()).toBe(1);

    const product = `checkbox "${businessStandard.displayName} (5 of 5 licenses available)"`;
    await pressUntil(product);
    await page.keyboard.press("Space");
    const services = panel.getByRole("group", { name: `${businessStandard.displayName} apps and services` });
    await services.getByRole("switch", { name: "Microsoft Teams" }).waitFor();
    await expectFocusOn(product);
    await pressUntil('switch "Microsoft Teams"');
    await page.keyboard.press("Space");
    expect(await services.getByRole("switch", { name: "Microsoft Teams" }).isChecked()).toBe(false);
    await expectFocusOn('switch "Microsoft Teams"');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "keyboard-user-panel");

    await pressUntil('button "Save changes"');
    await page.keyboard.press("Enter");
    await panel.getByText("Saved the licenses and apps of Alex Wilber.").waitFor();
    // Focus stays on Save (disabled until the next change), not lost to <body> or the page under the drawer.
    await expectFocusOn('button "Save changes"');
    const saved = await tenant.call<UserBody>("GET", `/api/users/${alex.id}`);
    expect(saved.body.assignedLicenses).toEqual([
      { skuId: skus.businessStandard, disabledPlans: [plans.TEAMS1.servicePlanId] },
    ]);

    await page.keyboard.press("Escape");
    await panel.waitFor({ state: "hidden" });
    await expectFocusOn('link "Alex Wilber"');
    // Shift+Tab goes back up the page from there, as from where the panel was opened.
    await pressUntil('button "Add a user"', "Shift+Tab");
  }, 120_000);
  it("Bulk page: typed UPNs, the operation chosen with the arrow keys, a product and partial with Space, the dry run and the job with Enter and Space, and Retry failed", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 3);
    await tenant.buy(skus.businessBasic, 2);
    const users = [];
    for (const n of [1, 2, 3]) {
      users.push(
        await tenant.user({
          displayName: `Keyboard ${n}`,
          userPrincipalName: `kb${n}@contoso.example`,
          licenses: [{ skuId: skus.businessStandard }],
        }),
      );
    }

    await signInAndStartAtNav(tenant.admin);
    await pressUntil('link "Bulk"');
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Bulk", level: 1 }).waitFor();
    await page.getByText(`${businessBasic.displayName} (2 of 2 available)`).waitFor();

    await pressUntil(/^textbox "Paste user names/);
    await page.keyboard.type("kb1@contoso.example, kb2@contoso.example\nkb3@contoso.example");
    await pressUntil('button "Add pasted users"');
    await page.keyboard.press("Enter");
    await page.getByText("Added 3 of 3 pasted users.").waitFor();
    await page.getByText("3 users chosen").waitFor();
    // The box is empty, so the button is disabled; focus stays on it rather than falling to <body>.
    await expectFocusOn('button "Add pasted users"');

    // Tab enters the radio group on the checked radio; the arrow keys move the choice.
    await pressUntil('radio "Add licenses (users keep what they have)"');
    await page.keyboard.press("ArrowDown");
    await expectFocusOn('radio "Replace: users end with exactly these licenses"');
    expect(
      await page.getByRole("radio", { name: "Replace: users end with exactly these licenses" }).isChecked(),
    ).toBe(true);
    await pressUntil(`checkbox "${businessBasic.displayName} (2 of 2 available)"`);
    await page.keyboard.press("Space");
    await pressUntil(/^checkbox "If there are not enough licenses/);
    await page.keyboard.press("Space");

    await pressUntil('button "Preview (dry run)"');
    await page.keyboard.press("Enter");
    await page.getByText("2 of 3 users would succeed; 1 would fail.").waitFor();
    await expectFocusOn('button "Preview (dry run)"');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "keyboard-bulk");

    await pressUntil('button "Start"');
    await page.keyboard.press("Space");
    await page.getByText("3 of 3 processed (100 %): 2 succeeded, 1 failed").waitFor({ timeout: 30_000 });
    await expectFocusOn('button "Start"');

    await tenant.buy(skus.businessBasic, 1);
    await pressUntil('button "Retry failed"');
    await page.keyboard.press("Enter");
    await page.getByText("1 of 1 processed (100 %): 1 succeeded, 0 failed").waitFor({ timeout: 30_000 });
    await page.getByText("No user failed.").waitFor();
    // Retry failed went away with the job it retried: focus is on the new job's progress line.
    await expectFocusOn("status");
    expect(await page.evaluate("document.activeElement?.textContent")).toBe(
      "1 of 1 processed (100 %): 1 succeeded, 0 failed",
    );

    for (const user of users) {
      const after = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
      expect(after.body.assignedLicenses).toEqual([{ skuId: skus.businessBasic, disabledPlans: [] }]);
    }
  }, 150_000);
});
