// The console at phone width (issue 20), 390 × 844 px, in Debian's Chromium against the real app
// (local host, Azurite, the queue triggers for a group's job) on the seeds' demo tenant: every page and
// dialog fits the screen (nothing sticks out, nothing scrolls sideways), tables become stacked rows
// that keep their table semantics, the navigation is a drawer opened from the banner; axe is clean in
// each state. Then the README's screenshots in Swedish at desktop width.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { seedDemoTenant } from "../../local/seed.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf } from "../support/catalog-ids.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM");

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
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
});
afterEach(async () => {
  await page.close();
});

/**
 * Every visible element that sticks out to the right of the viewport, named by its tag, class and text,
 * and the page itself when it scrolls sideways. Visually hidden nodes (clipped to nothing, a pixel wide)
 * are left out: they are there for screen readers.
 */
const overflowScript = `(() => {
  const width = window.innerWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width) {
    found.push("the page scrolls sideways: " + document.documentElement.scrollWidth + " > " + width);
  }
  const hidden = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden") return true;
      if (style.clipPath === "inset(50%)" || style.clip === "rect(0px, 0px, 0px, 0px)") return true;
      const rect = node.getBoundingClientRect();
      if (rect.width <= 1 && rect.height <= 1 && style.overflow === "hidden") return true;
    }
    return false;
  };
  for (const element of document.body.querySelectorAll("*")) {
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right <= width + 1) continue;
    if (hidden(element)) continue;
    const name = element.tagName.toLowerCase() + (element.getAttribute("role") ? "[role=" + element.getAttribute("role") + "]" : "");
    found.push(name + " \\"" + (element.textContent ?? "").trim().slice(0, 40) + "\\" ends at " + Math.round(rect.right));
  }
  return found;
})()`;

/**
 * The page as it is now fits the phone's width, and axe finds nothing serious. Soft: one walk through
 * the console reports every state that does not fit, not only the first.
 */
async function expectFits(what: string): Promise<void> {
  await page.evaluate("Promise.allSettled(document.getAnimations().map((animation) => animation.finished))");
  expect.soft(await page.evaluate<string[]>(overflowScript), `${what}: sticks out`).toEqual([]);
  expect.soft(await seriousAccessibilityViolations(page), `${what}: axe`).toEqual([]);
}

/** The table's first row is a card: its second cell under its first, not beside it. */
async function expectStacked(name: string): Promise<void> {
  const cells = page.getByRole("table", { name, exact: true }).getByRole("row").nth(1).getByRole("cell");
  const [first, second] = await Promise.all([cells.nth(0).boundingBox(), cells.nth(1).boundingBox()]);
  expect
    .soft(first !== null && second !== null && second.y >= first.y + first.height - 1, `${name}: stacked`)
    .toBe(true);
}

const groupName = "Sales and marketing in the Nordic countries";

/** The seeds' demo tenant under a tenant id of its own, with a group giving one member a license. */
async function seededTenant() {
  const tenantId = randomUUID();
  await seedDemoTenant(app.services.deps, tenantId);
  const admin = await app.token(tenantId);
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const response = await app.call<T>(method, path, {
      token: admin,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const users = await call<{ value: { id: string; displayName: string }[] }>("GET", "/api/users");
  const megan = users.value.find((user) => user.displayName === "Megan Bowen");
  const group = await call<{ id: string }>("POST", "/api/groups", {
    displayName: groupName,
    mailNickname: "salesnordic",
    description: "Everyone who sells or markets our products in Sweden, Denmark and Norway",
    securityEnabled: true,
    mailEnabled: false,
    "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${megan?.id}`],
  });
  await call("POST", `/api/groups/${group.id}/assignLicense`, {
    addLicenses: [{ skuId: businessStandard.skuId, disabledPlans: [] }],
    removeLicenses: [],
  });
  return { tenantId, admin };
}

const menuButton = () => page.getByRole("banner").getByRole("button", { name: "Menu" });

/** Opens the navigation drawer from the banner and follows one of its links. */
async function navigate(link: string, heading: string): Promise<void> {
  await menuButton().click();
  await page.getByRole("dialog", { name: "Menu" }).getByRole("link", { name: link }).click();
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
  await page.getByRole("dialog", { name: "Menu" }).waitFor({ state: "hidden" });
}

/** Opens a dialog with its button, checks it fits, and cancels it. */
async function dialogFits(button: string | RegExp, dialog: string, screenshotName?: string): Promise<void> {
  await page.getByRole("button", { name: button }).first().click();
  const opened = page.getByRole("dialog", { name: dialog });
  await opened.waitFor();
  await expectFits(`the ${dialog} dialog`);
  // Its actions are on the screen, reachable without scrolling sideways.
  const cancel = opened.getByRole("button", { name: "Cancel" });
  const box = await cancel.boundingBox();
  expect.soft(box && box.x >= 0 && box.x + box.width <= 390, `${dialog}: Cancel on the screen`).toBe(true);
  if (screenshotName) await screenshot(page, screenshotName);
  await cancel.click();
  await opened.waitFor({ state: "hidden" });
}

describe("the console at 390 px", () => {
  it("fits every page and dialog on the screen, tables as stacked rows, the navigation in a drawer", async () => {
    const { admin } = await seededTenant();
    await signIn(page, app.url, admin);

    // Licenses: a table still, each product a row of cells, laid out as a card.
    const products = page.getByRole("table", { name: "Products" });
    const row = products.getByRole("row", { name: new RegExp(`^${businessStandard.displayName}`) });
    await row.getByText("23 of 25 available").waitFor();
    await row.getByRole("cell", { name: businessStandard.displayName, exact: true }).waitFor();
    expect(await products.getByRole("columnheader").allTextContents()).toEqual([
      "Product",
      "Available licenses",
      "Valid",
      "Expired",
      "Assigned",
      "Actions",
    ]);
    await expectStacked("Products");
    await expectFits("Licenses");
    await screenshot(page, "phone-licenses");
    await dialogFits("Buy licenses", "Buy licenses");
    await dialogFits(`Assign ${businessStandard.displayName}`, `Assign ${businessStandard.displayName}`);

    // The navigation: a drawer from the banner's Menu button; Escape closes it and gives focus back.
    expect(await page.getByRole("navigation", { name: "Admin center" }).count()).toBe(0);
    await menuButton().click();
    const drawer = page.getByRole("dialog", { name: "Menu" });
    await drawer
      .getByRole("navigation", { name: "Admin center" })
      .getByRole("link", { name: "Licenses" })
      .waitFor();
    await drawer.getByText("Contoso Sverige AB").waitFor();
    await drawer.getByText("Global Administrator").waitFor();
    await drawer.getByRole("combobox", { name: "Language" }).waitFor();
    await expectFits("the navigation drawer");
    await screenshot(page, "phone-nav");
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("Menu");

    // A product's subscriptions, and removing seats.
    await page.getByRole("link", { name: `${businessStandard.displayName}: 1 subscription` }).click();
    await page.getByRole("heading", { name: `${businessStandard.displayName}: subscriptions` }).waitFor();
    await expectStacked(`Subscriptions of ${businessStandard.displayName}`);
    await expectFits("subscriptions");
    await dialogFits(/^Remove seats from /, "Remove licenses");

    // A product's page.
    await navigate("Licenses", "Licenses");
    await page.getByRole("link", { name: businessStandard.displayName, exact: true }).click();
    await page.getByRole("heading", { name: businessStandard.displayName, level: 1 }).waitFor();
    await page.getByText("Adele Vance").first().waitFor();
    await expectFits("a product's page");

    // Users, adding a user, a user's panel.
    await navigate("Users", "Users");
    await page.getByRole("link", { name: "Adele Vance", exact: true }).waitFor();
    await expectFits("Users");
    await screenshot(page, "phone-users");
    await dialogFits("Add a user", "Add a user");
    await page.getByRole("link", { name: "Adele Vance", exact: true }).click();
    const panel = page.getByRole("dialog", { name: "Adele Vance" });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    await expectFits("a user's panel");
    await screenshot(page, "phone-user-panel");
    await panel.getByRole("button", { name: "Close" }).first().click();
    await panel.waitFor({ state: "hidden" });

    // Groups, creating a group, a group's page.
    await navigate("Groups", "Groups");
    await page.getByRole("link", { name: groupName }).waitFor();
    await expectStacked("Security groups");
    await expectFits("Groups");
    await dialogFits("Create a group", "Create a group");
    await page.getByRole("link", { name: groupName }).click();
    await page.getByRole("heading", { name: groupName, level: 1 }).waitFor();
    await page
      .getByRole("table", { name: "Members", exact: true })
      .getByRole("row", { name: /Megan Bowen/ })
      .waitFor();
    await page.getByText(/^Processing complete/).waitFor({ timeout: 30_000 });
    await expectStacked("Members");
    await expectFits("a group's page");
    await dialogFits("Delete group", `Delete ${groupName}?`);

    // Bulk, Jobs, a job.
    await navigate("Bulk", "Bulk");
    await expectFits("Bulk");
    await navigate("Jobs", "Jobs");
    const job = page
      .getByRole("table", { name: "Recent jobs" })
      .getByRole("row", { name: new RegExp(`^Give the licenses of ${groupName}`) })
      .filter({ hasText: "Succeeded" });
    await job.waitFor({ timeout: 60_000 });
    await expectStacked("Recent jobs");
    await expectFits("Jobs");
    await job.getByRole("link").click();
    await page.getByRole("heading", { name: "Job", level: 1 }).waitFor();
    await page.getByText(/: Succeeded$/).waitFor();
    await page.getByRole("checkbox", { name: "Failures only" }).uncheck();
    await page
      .getByRole("table", { name: "Job results" })
      .getByRole("row", { name: /Megan Bowen/ })
      .waitFor();
    await expectStacked("Job results");
    await expectFits("a job");

    // In Swedish, whose words are longer, chosen with the drawer's language switcher.
    await menuButton().click();
    await drawer.getByRole("combobox", { name: "Language" }).selectOption({ label: "Svenska" });
    await page.getByRole("heading", { name: "Jobb", level: 1 }).waitFor();
    await page.getByRole("dialog", { name: "Meny" }).getByRole("button", { name: "Stäng" }).click();
    await page.getByRole("dialog", { name: "Meny" }).waitFor({ state: "hidden" });
    await page
      .getByRole("table", { name: "Jobbets resultat" })
      .getByRole("row", { name: /Megan Bowen/ })
      .waitFor();
    await expectFits("a job, in Swedish");
    await page.getByRole("banner").getByRole("button", { name: "Meny" }).click();
    await page.getByRole("dialog", { name: "Meny" }).getByRole("link", { name: "Licenser" }).click();
    await page
      .getByRole("row", { name: new RegExp(`^${businessStandard.displayName}`) })
      .getByText("23 av 25 tillgängliga")
      .waitFor();
    await expectFits("Licenses, in Swedish");
  }, 180_000);
});

describe("the README's screenshots", () => {
  it("shows Licenses, a user's panel and Bulk in Swedish at desktop width", async () => {
    const { admin } = await seededTenant();
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page, app.url, admin);
    await page.getByRole("combobox", { name: "Language" }).selectOption({ label: "Svenska" });
    await page.getByRole("heading", { name: "Licenser", level: 1 }).waitFor();
    await page
      .getByRole("row", { name: new RegExp(`^${businessStandard.displayName}`) })
      .getByText("23 av 25 tillgängliga")
      .waitFor();
    await screenshot(page, "sv-licenses");

    const nav = page.getByRole("navigation", { name: "Administrationscenter" });
    // The side navigation keeps its width beside a page whose content could take it all.
    expect((await nav.boundingBox())?.width).toBeGreaterThanOrEqual(200);
    await nav.getByRole("link", { name: "Aktiva användare" }).click();
    await page.getByRole("link", { name: "Adele Vance", exact: true }).click();
    const panel = page.getByRole("dialog", { name: "Adele Vance" });
    await panel.getByRole("heading", { name: "Licenser och appar" }).waitFor();
    await panel.getByText("Tilldelad direkt").waitFor();
    await screenshot(page, "sv-user-panel");
    await panel.getByRole("button", { name: "Stäng" }).first().click();
    await panel.waitFor({ state: "hidden" });

    await nav.getByRole("link", { name: "Massåtgärder" }).click();
    await page.getByRole("heading", { name: "Massåtgärder", level: 1 }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sv-bulk");
  }, 120_000);
});
