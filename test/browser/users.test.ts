// The console's Users page and user panel in Debian's Chromium, against the real app (local host,
// Azurite): the seeds' procedures (add a user with a license; a license with every service but
// SharePoint Online, its dependent switched off with it as shown; change a user's services; restore
// a deleted user within the window), the filters, the mailbox countdown and the Office installs.
import { randomUUID } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { applyProvisioning } from "../../shared/usecases/apply-provisioning.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { plans, productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";
import { days, TestClock } from "../support/test-clock.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM");
const audioConferencing = productOf("MCOMEETADV");

interface UserBody {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly assignedLicenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
}

const clock = new TestClock();
let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ triggers: false, clock }), launchChromium()]);
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

async function openUsers(token: string): Promise<void> {
  await signIn(page, app.url, token);
  await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
}

/** The user names of the rows shown, sorted: the list's order is the store's. */
const shownUserNames = async (): Promise<string[]> =>
  (await page.locator('tbody tr td[data-label="Username"]').allInnerTexts()).sort();

const chooseFilter = (label: string) => page.getByLabel("Filter").selectOption({ label });

async function openPanel(displayName: string): Promise<Locator> {
  await page.getByRole("link", { name: displayName, exact: true }).click();
  const panel = page.getByRole("dialog", { name: displayName });
  await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
  return panel;
}

const servicesOf = (panel: Locator, productName: string) =>
  panel.getByRole("group", { name: `${productName} apps and services` });

const sorted = (ids: readonly string[]) => [...ids].sort();

/** The page's path and query, as the address bar shows them. */
const address = (): string => {
  const url = new URL(page.url());
  return `${url.pathname}${url.search}`;
};

/** The Users entry of the navigation: `aria-current="page"` when marked current. */
const usersNavCurrent = () =>
  page.locator('nav[aria-label="Admin center"] a[href="/users"]').getAttribute("aria-current");

describe("the Users page", () => {
  it("adds a user with a license in one step, and says by the problem's code, with its counts, when a license cannot be given", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 1);
    const upn = `adele.${randomUUID().slice(0, 6)}@contoso.example`;

    await openUsers(tenant.admin);
    await page.getByRole("button", { name: "Add a user" }).click();
    const add = page.getByRole("dialog", { name: "Add a user" });
    await add.getByLabel(/^Display name/).fill("Adele Vance");
    await add.getByLabel(/^Username/).fill(upn);
    await add.getByRole("checkbox", { name: `${businessStandard.displayName} (1 of 1 available)` }).check();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "users-add");
    await add.getByRole("button", { name: "Add" }).click();
    await page.getByText(`Added Adele Vance (${upn}) with 1 license.`).waitFor();
    await page
      .getByRole("row", { name: new RegExp(`Adele Vance.*${businessStandard.displayName}`) })
      .waitFor();
    const added = await tenant.call<UserBody>("GET", `/api/users/${upn}`);
    expect(added.body.assignedLicenses).toEqual([{ skuId: businessStandard.skuId, disabledPlans: [] }]);

    // No seat is left: the same request through the API gives the problem the console shows by its code.
    const refused = await tenant.call("POST", "/api/users", {
      userPrincipalName: `probe.${randomUUID().slice(0, 6)}@contoso.example`,
      displayName: "Probe",
      licenses: [{ skuId: businessStandard.skuId }],
    });
    expect(refused.body.code).toBe("CountViolation");
    const graceUpn = `grace.${randomUUID().slice(0, 6)}@contoso.example`;
    await page.getByRole("button", { name: "Add a user" }).click();
    await add.getByLabel(/^Display name/).fill("Grace Taylor");
    await add.getByLabel(/^Username/).fill(graceUpn);
    await add.getByRole("checkbox", { name: `${businessStandard.displayName} (0 of 1 available)` }).check();
    await add.getByRole("button", { name: "Add" }).click();
    await add
      .getByText(
        `Not enough licenses available: ${businessStandard.displayName} needs 1 more (0 available). Buy more licenses or unassign some first.`,
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // All or nothing: no user was made without the license.
    expect((await tenant.call("GET", `/api/users/${graceUpn}`)).status).toBe(404);
  }, 90_000);

  it("adds a user with Business Standard but SharePoint, Office for the web switched off with it as shown", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    const upn = `diego.${randomUUID().slice(0, 6)}@contoso.example`;

    await openUsers(tenant.admin);
    await page.getByRole("button", { name: "Add a user" }).click();
    const add = page.getByRole("dialog", { name: "Add a user" });
    await add.getByLabel(/^Display name/).fill("Diego Siciliani");
    await add.getByLabel(/^Username/).fill(upn);
    await add.getByRole("checkbox", { name: `${businessStandard.displayName} (2 of 2 available)` }).check();
    const services = servicesOf(add, businessStandard.displayName);
    expect(await services.getByRole("switch", { checked: true }).count()).toBe(
      businessStandard.servicePlans.length,
    );
    await services.getByRole("switch", { name: "SharePoint (Plan 1)" }).click();
    expect(await services.getByRole("switch", { name: "Office for the web" }).isChecked()).toBe(false);
    await services
      .getByText("Turning off SharePoint (Plan 1) turns off Office for the web too", { exact: false })
      .waitFor();
    expect(await services.getByRole("switch", { checked: true }).count()).toBe(
      businessStandard.servicePlans.length - 2,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "users-add-services");

    await add.getByRole("button", { name: "Add" }).click();
    await page.getByText(`Added Diego Siciliani (${upn}) with 1 license.`).waitFor();
    const added = await tenant.call<UserBody>("GET", `/api/users/${upn}`);
    expect(added.body.assignedLicenses).toHaveLength(1);
    expect(added.body.assignedLicenses[0]?.skuId).toBe(businessStandard.skuId);
    expect(sorted(added.body.assignedLicenses[0]?.disabledPlans ?? [])).toEqual(
      sorted([plans.SHAREPOINTSTANDARD.servicePlanId, plans.SHAREPOINTWAC.servicePlanId]),
    );
  }, 90_000);

  it("finds users by name or user name, and filters guests and unlicensed users", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const lee = await tenant.user({ displayName: "Lee Gu", licenses: [{ skuId: skus.businessStandard }] });
    const lynne = await tenant.user({ displayName: "Lynne Robbins" });
    const diego = await tenant.user({ displayName: "Diego Siciliani", userType: "Guest" });

    await openUsers(tenant.admin);
    const everyone = sorted([lee, lynne, diego].map((user) => user.userPrincipalName));
    await expect.poll(shownUserNames).toEqual(everyone);

    await chooseFilter("Guest users");
    await expect.poll(shownUserNames).toEqual([diego.userPrincipalName]);
    await chooseFilter("Unlicensed users");
    await expect.poll(shownUserNames).toEqual(sorted([lynne.userPrincipalName, diego.userPrincipalName]));
    await chooseFilter("All users");
    await expect.poll(shownUserNames).toEqual(everyone);

    const search = page.getByRole("searchbox", { name: "Search users by name or user name" });
    await search.fill("ly");
    await expect.poll(shownUserNames).toEqual([lynne.userPrincipalName]);
    // The user name's start (random, so that only Lee's matches), not the display name's.
    await search.fill(lee.userPrincipalName.slice(0, 7).toUpperCase());
    await expect.poll(shownUserNames).toEqual([lee.userPrincipalName]);
    await search.fill("nobody");
    await page.getByText('No user\'s name or user name starts with "nobody".').waitFor();
    await search.fill("");
    await expect.poll(shownUserNames).toEqual(everyone);

    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "users");
  }, 90_000);

  it("shows 50 users a page and the next page from @odata.nextLink on Show more users", async () => {
    const tenant = await newTenant(app);
    const names = Array.from({ length: 52 }, (_, index) => `Pager ${String(index).padStart(2, "0")}`);
    for (let start = 0; start < names.length; start += 13) {
      await Promise.all(names.slice(start, start + 13).map((displayName) => tenant.user({ displayName })));
    }

    await openUsers(tenant.admin);
    await expect.poll(async () => (await shownUserNames()).length).toBe(50);
    await page.getByRole("button", { name: "Show more users" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await shownUserNames()).length).toBe(52);
    expect(await page.getByRole("button", { name: "Show more users" }).count()).toBe(0);
    // The button went with the last page: focus is on the line saying so, not lost to <body>.
    await expect.poll(() => page.evaluate("document.activeElement?.textContent")).toBe("All 52 users shown.");
    expect(sorted(await page.locator('tbody tr td[data-label="Display name"]').allInnerTexts())).toEqual(
      names,
    );
  }, 120_000);

  it("restores a deleted user within the retention window, showing the days left", async () => {
    const tenant = await newTenant(app);
    const megan = await tenant.user({ displayName: "Megan Bowen" });
    // Deleted a week ago (the service's clock moved back for the deletion): 23 of 30 days are left.
    clock.advance(-days(7));
    try {
      expect((await tenant.call("DELETE", `/api/users/${megan.id}`)).status).toBe(204);
    } finally {
      clock.advance(days(7));
    }

    await openUsers(tenant.admin);
    await expect.poll(shownUserNames).toEqual([]);
    await chooseFilter("Deleted users");
    await page.getByRole("row", { name: /Megan Bowen.*23 days left/ }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "users-deleted");
    await page.getByRole("button", { name: "Restore Megan Bowen" }).click();
    await page.getByText("Restored Megan Bowen.", { exact: false }).waitFor();
    await page.getByText("No users here.").waitFor();
    expect((await tenant.call("GET", `/api/users/${megan.id}`)).status).toBe(200);
    await chooseFilter("All users");
    await expect.poll(shownUserNames).toEqual([megan.userPrincipalName]);
  }, 90_000);

  it("hides adding and restoring from a billing administrator, and the panel's switches do not move", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const user = await tenant.user({
      displayName: "Nestor Wilke",
      licenses: [{ skuId: skus.businessStandard }],
    });
    const billing = await app.token(tenant.tenantId, { roles: ["BillingAdministrator"] });

    await openUsers(billing);
    await expect.poll(shownUserNames).toEqual([user.userPrincipalName]);
    expect(await page.getByRole("button", { name: "Add a user" }).count()).toBe(0);
    const panel = await openPanel("Nestor Wilke");
    expect(await panel.getByRole("checkbox", { name: /^Microsoft 365 Business Standard/ }).isDisabled()).toBe(
      true,
    );
    expect(
      await servicesOf(panel, businessStandard.displayName).getByRole("switch").first().isDisabled(),
    ).toBe(true);
    expect(await panel.getByRole("button", { name: "Save changes" }).count()).toBe(0);
  }, 60_000);
});

describe("the user panel", () => {
  it("assigns a license with every service but SharePoint, turning off Office for the web with it as shown", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const user = await tenant.user({ displayName: "Alex Wilber" });

    await openUsers(tenant.admin);
    const panel = await openPanel("Alex Wilber");
    await panel.getByRole("checkbox", { name: /^Microsoft 365 Business Standard \(5 of 5/ }).check();
    const services = servicesOf(panel, businessStandard.displayName);
    expect(await services.getByRole("switch", { checked: true }).count()).toBe(
      businessStandard.servicePlans.length,
    );
    await services.getByRole("switch", { name: "SharePoint (Plan 1)" }).click();

    expect(await services.getByRole("switch", { name: "Office for the web" }).isChecked()).toBe(false);
    await services
      .getByText("Turning off SharePoint (Plan 1) turns off Office for the web too", { exact: false })
      .waitFor();
    expect(await services.getByRole("switch", { checked: true }).count()).toBe(
      businessStandard.servicePlans.length - 2,
    );
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "user-panel");

    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved the licenses and apps of Alex Wilber.").waitFor();
    const saved = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
    expect(saved.body.assignedLicenses).toHaveLength(1);
    expect(sorted(saved.body.assignedLicenses[0]?.disabledPlans ?? [])).toEqual(
      sorted([plans.SHAREPOINTSTANDARD.servicePlanId, plans.SHAREPOINTWAC.servicePlanId]),
    );
    // The panel reloaded the seat counts with the user.
    await panel.getByRole("checkbox", { name: /^Microsoft 365 Business Standard \(4 of 5/ }).waitFor();
  }, 90_000);

  it("changes a user's services: turning Office for the web on turns SharePoint on with it, Teams goes off", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const user = await tenant.user({
      displayName: "Isaiah Langer",
      licenses: [
        {
          skuId: skus.businessStandard,
          disabledPlans: [plans.SHAREPOINTSTANDARD.servicePlanId, plans.SHAREPOINTWAC.servicePlanId],
        },
      ],
    });

    await openUsers(tenant.admin);
    const panel = await openPanel("Isaiah Langer");
    const services = servicesOf(panel, businessStandard.displayName);
    await services.getByRole("switch", { name: "Office for the web" }).click();
    expect(await services.getByRole("switch", { name: "SharePoint (Plan 1)" }).isChecked()).toBe(true);
    await services
      .getByText("Office for the web needs SharePoint (Plan 1), so it was turned on too.", { exact: false })
      .waitFor();
    await services.getByRole("switch", { name: "Microsoft Teams" }).click();
    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved the licenses and apps of Isaiah Langer.").waitFor();

    const saved = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
    expect(saved.body.assignedLicenses).toEqual([
      { skuId: skus.businessStandard, disabledPlans: [plans.TEAMS1.servicePlanId] },
    ]);
  }, 90_000);

  it("turns Audio Conferencing off with the Skype for Business and Teams of the user's E3, as the note says", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 5);
    await tenant.buy(audioConferencing.skuId, 5);
    const user = await tenant.user({
      displayName: "Lee Gu",
      licenses: [{ skuId: skus.e3 }, { skuId: audioConferencing.skuId }],
    });

    await openUsers(tenant.admin);
    const panel = await openPanel("Lee Gu");
    const e3Services = servicesOf(panel, productOf("ENTERPRISEPACK").displayName);
    const audio = servicesOf(panel, audioConferencing.displayName).getByRole("switch");
    await e3Services.getByRole("switch", { name: plans.MCOSTANDARD.displayName }).click();
    expect(await audio.isChecked()).toBe(true);
    await e3Services.getByRole("switch", { name: plans.TEAMS1.displayName }).click();
    expect(await audio.isChecked()).toBe(false);
    await panel
      .getByText(
        "Microsoft 365 Audio Conferencing turned off too, as nothing it needs is on in the user's licenses.",
        {
          exact: false,
        },
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Saved the licenses and apps of Lee Gu.").waitFor();
    const saved = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
    const disabledOf = (skuId: string) =>
      sorted(saved.body.assignedLicenses.find((license) => license.skuId === skuId)?.disabledPlans ?? []);
    expect(disabledOf(skus.e3)).toEqual(
      sorted([plans.MCOSTANDARD.servicePlanId, plans.TEAMS1.servicePlanId]),
    );
    expect(disabledOf(audioConferencing.skuId)).toEqual([plans.MCOMEETADV.servicePlanId]);
  }, 90_000);

  it("asks to reload when the user changed after the panel opened (412), and saves nothing", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const user = await tenant.user({
      displayName: "Johanna Lorenz",
      licenses: [{ skuId: skus.businessStandard }],
    });

    await openUsers(tenant.admin);
    const panel = await openPanel("Johanna Lorenz");
    const services = servicesOf(panel, businessStandard.displayName);
    await services.getByRole("switch", { name: "Sway" }).click();
    // Someone else turns Yammer off meanwhile.
    const elsewhere = {
      addLicenses: [{ skuId: skus.businessStandard, disabledPlans: [plans.YAMMER_ENTERPRISE.servicePlanId] }],
      removeLicenses: [],
    };
    expect((await tenant.assign(user.id, elsewhere)).status).toBe(200);
    await panel.getByRole("button", { name: "Save changes" }).click();
    await panel.getByText("Someone else changed this user").waitFor();
    await panel
      .getByText(
        "Someone else changed this since you opened it, so nothing was changed. Reload and try again.",
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole("button", { name: "Reload" }).click();
    await panel.getByText("Someone else changed this user").waitFor({ state: "hidden" });
    expect(await services.getByRole("switch", { name: "Sway" }).isChecked()).toBe(true);
    expect(await services.getByRole("switch", { name: "Yammer Enterprise" }).isChecked()).toBe(false);
    const after = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
    expect(after.body.assignedLicenses).toEqual(elsewhere.addLicenses);
  }, 90_000);

  it("shows the mailbox's retention countdown and removes an Office install", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const pradeep = await tenant.user({
      displayName: "Pradeep Gupta",
      licenses: [{ skuId: skus.businessStandard }],
    });
    const miriam = await tenant.user({
      displayName: "Miriam Graham",
      licenses: [{ skuId: skus.businessStandard }],
    });
    // What the queue worker does after an assignment (this app runs no triggers): the mailbox and
    // the Office entitlement. Then Pradeep installs Office twice, and unassigning retains Miriam's
    // mailbox for 30 days.
    for (const user of [pradeep, miriam]) {
      expect(await applyProvisioning(app.services.deps, tenant.tenantId, user.id)).toBe(true);
    }
    for (const deviceName of ["LAPTOP-PG", "MAC-PG"]) {
      const installed = await tenant.call("POST", `/api/users/${pradeep.id}/officeInstalls`, {
        deviceName,
        platform: deviceName.startsWith("MAC") ? "Mac" : "Windows",
      });
      expect(installed.status).toBe(201);
    }
    expect((await tenant.call("GET", `/api/users/${pradeep.id}/mailbox`)).body.state).toBe("Active");
    const unassigned = await tenant.assign(miriam.id, {
      addLicenses: [],
      removeLicenses: [skus.businessStandard],
    });
    expect(unassigned.status).toBe(200);

    await openUsers(tenant.admin);
    let panel = await openPanel("Pradeep Gupta");
    await panel.getByText("2 of 5 devices", { exact: true }).waitFor();
    await panel.getByRole("button", { name: "Remove the Office install on LAPTOP-PG" }).click();
    await panel.getByText("1 of 5 devices", { exact: true }).waitFor();
    await panel.getByText("Removed the Office install on LAPTOP-PG.").waitFor();
    const provisioning = await tenant.call<{ officeApps: { installs: { deviceName: string }[] } }>(
      "GET",
      `/api/users/${pradeep.id}/provisioning`,
    );
    expect(provisioning.body.officeApps.installs.map((install) => install.deviceName)).toEqual(["MAC-PG"]);
    await panel.getByText("Active · User mailbox, 0 GB").waitFor();
    await panel.getByRole("button", { name: "Close" }).click();
    await panel.waitFor({ state: "hidden" });

    panel = await openPanel("Miriam Graham");
    await panel
      .getByText("30 days left to assign a license with Exchange Online", { exact: false })
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 90_000);
});

describe("the user panel's address", () => {
  it("opens at /users/<id> over the list, keeps the search in the address, reloads open, and closes with Back", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    await tenant.user({ displayName: "Lee Gu", licenses: [{ skuId: skus.businessStandard }] });
    const lynne = await tenant.user({ displayName: "Lynne Robbins" });

    await openUsers(tenant.admin);
    await page.getByRole("searchbox", { name: "Search users by name or user name" }).fill("ly");
    await chooseFilter("Unlicensed users");
    await expect.poll(shownUserNames).toEqual([lynne.userPrincipalName]);
    expect(address()).toBe("/users?search=ly&filter=unlicensed");

    let panel = await openPanel("Lynne Robbins");
    expect(address()).toBe(`/users/${lynne.id}?search=ly&filter=unlicensed`);
    expect(await usersNavCurrent()).toBe("page");
    // The list stays behind the drawer.
    expect(await shownUserNames()).toEqual([lynne.userPrincipalName]);

    await page.reload();
    panel = page.getByRole("dialog", { name: "Lynne Robbins" });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    expect(await usersNavCurrent()).toBe("page");
    await expect.poll(shownUserNames).toEqual([lynne.userPrincipalName]);

    await page.goBack();
    await panel.waitFor({ state: "hidden" });
    expect(address()).toBe("/users?search=ly&filter=unlicensed");
    expect(
      await page.getByRole("searchbox", { name: "Search users by name or user name" }).inputValue(),
    ).toBe("ly");
    expect(await page.getByLabel("Filter").inputValue()).toBe("unlicensed");
    await expect.poll(shownUserNames).toEqual([lynne.userPrincipalName]);

    // Forward opens it again; its Close button goes back to the list's entry, not a new one.
    await page.goForward();
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    await panel.getByRole("button", { name: "Close" }).click();
    await panel.waitFor({ state: "hidden" });
    await expect.poll(address).toBe("/users?search=ly&filter=unlicensed");
    await page.goForward();
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
  }, 90_000);

  it("opens the panel from a deep link, and its Close button leaves /users with the list", async () => {
    const tenant = await newTenant(app);
    const megan = await tenant.user({ displayName: "Megan Bowen" });

    await signIn(page, app.url, tenant.admin);
    await page.goto(`${app.url}/users/${megan.id}`);
    const panel = page.getByRole("dialog", { name: "Megan Bowen" });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    await panel.getByText(megan.userPrincipalName).waitFor();
    expect(await usersNavCurrent()).toBe("page");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await panel.getByRole("button", { name: "Close" }).click();
    await panel.waitFor({ state: "hidden" });
    await expect.poll(address).toBe("/users");
    await expect.poll(shownUserNames).toEqual([megan.userPrincipalName]);
  }, 60_000);

  it("opens the panel at /users/<user name> too, as Graph takes a user name for an id", async () => {
    const tenant = await newTenant(app);
    const megan = await tenant.user({ displayName: "Megan Bowen" });

    await signIn(page, app.url, tenant.admin);
    // Its last segment looks like a file name (".example"): the console's page all the same.
    await page.goto(`${app.url}/users/${megan.userPrincipalName}`);
    const panel = page.getByRole("dialog", { name: "Megan Bowen" });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    await panel.getByText(megan.userPrincipalName).waitFor();
  }, 60_000);

  it("shows the 404 in words, with the server's detail, in the panel for an id no user has", async () => {
    const tenant = await newTenant(app);
    const unknown = randomUUID();
    const answer = await tenant.call("GET", `/api/users/${unknown}`);
    expect(answer.status).toBe(404);
    expect(typeof answer.body.detail).toBe("string");

    await signIn(page, app.url, tenant.admin);
    await page.goto(`${app.url}/users/${unknown}`);
    const panel = page.getByRole("dialog");
    await panel
      .getByText(`Not found: it may have been deleted (${answer.body.detail}).`, { exact: true })
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "user-panel-unknown");
  }, 60_000);

  it("links each holder on a product's page to the holder's panel at /users/<id>, whose Close goes back there", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const lee = await tenant.user({ displayName: "Lee Gu", licenses: [{ skuId: skus.businessStandard }] });

    await signIn(page, app.url, tenant.admin);
    await page.goto(`${app.url}/licenses/${skus.businessStandard}`);
    await page.getByRole("link", { name: "Lee Gu", exact: true }).click();
    const panel = page.getByRole("dialog", { name: "Lee Gu" });
    await panel.getByRole("checkbox", { name: /^Microsoft 365 Business Standard \(4 of 5/ }).waitFor();
    expect(address()).toBe(`/users/${lee.id}`);
    expect(await usersNavCurrent()).toBe("page");
    // Close goes back to the product's holders, where the panel was opened from.
    await panel.getByRole("button", { name: "Close" }).click();
    await expect.poll(address).toBe(`/licenses/${skus.businessStandard}`);
    await page.getByRole("link", { name: "Lee Gu", exact: true }).waitFor();
  }, 60_000);
});
