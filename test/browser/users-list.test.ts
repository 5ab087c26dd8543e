// The Users list an admin expects, in Debian's Chromium against the real app (local host, Azurite,
// the queue triggers: bulk jobs and a group's licenses run through the queue): sorting by display
// name and user name either way (a search's two queries merged in order), the product and
// license-error filters, the CSV export of everything filtered, "Manage product licenses" for the
// users selected (add, then unassign all after a confirmation) and their deletion and restore.

import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { arrangeUsers } from "../support/arrange-users.js";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM");
const e3 = productOf("ENTERPRISEPACK");

type Tenant = Awaited<ReturnType<typeof newTenant>>;

interface UserBody {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly assignedLicenses: readonly { readonly skuId: string }[];
}

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

const tag = () => randomUUID().slice(0, 6);

/** The rows come after the API answers, on a machine other tests share. */
const patiently = { timeout: 15_000 };

async function openUsers(token: string): Promise<void> {
  await signIn(page, app.url, token);
  await page.getByRole("navigation").getByRole("link", { name: "Users" }).click();
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
}

/** The display names of the rows, in the order shown. */
const shownNames = () => page.locator('tbody tr td[data-label="Display name"] a').allInnerTexts();

/** A user made through the API, with the name the console shows. */
async function person(tenant: Tenant, displayName: string, upn: string, extra: Record<string, unknown> = {}) {
  const user = await tenant.user({ displayName, userPrincipalName: `${upn}@contoso.example`, ...extra });
  return { ...user, displayName };
}

const expectAccessible = async () => expect(await seriousAccessibilityViolations(page)).toEqual([]);

/** The date the data-loss warning names: now plus the service's retention period, as the console writes it. */
async function dataLossDate(): Promise<string> {
  const config = await app.call<{ retentionSeconds: number }>("GET", "/api/console/config");
  // The console's own locale choice (i18n/format.ts): the browser's tag for English.
  return page.evaluate<string>(
    `new Intl.DateTimeFormat(navigator.languages.find((tag) => tag.startsWith("en")) ?? "en", {
      dateStyle: "medium",
    }).format(new Date(Date.now() + ${config.body.retentionSeconds} * 1000))`,
  );
}

describe("the Users list", () => {
  it("sorts by display name and by user name either way, a search's two queries merged in order, at phone width too", async () => {
    const tenant = await newTenant(app);
    const id = tag();
    // Display name, user name and id orders all differ; a search for "b" finds Bianca by her name
    // and Adele by her user name.
    await person(tenant, "Adele Vance", `b-adele-${id}`);
    await person(tenant, "Bianca Pisani", `m-bianca-${id}`);
    await person(tenant, "Chris Green", `a-chris-${id}`);

    await openUsers(tenant.admin);
    await expect.poll(async () => (await shownNames()).length, patiently).toBe(3);
    const byName = page.getByRole("columnheader", { name: "Display name" });
    const byUserName = page.getByRole("columnheader", { name: "Username" });
    expect(await byName.getAttribute("aria-sort")).toBe("none");

    await byName.getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual(["Adele Vance", "Bianca Pisani", "Chris Green"]);
    expect(await byName.getAttribute("aria-sort")).toBe("ascending");
    await byName.getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual(["Chris Green", "Bianca Pisani", "Adele Vance"]);
    expect(await byName.getAttribute("aria-sort")).toBe("descending");
    await byUserName.getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual(["Chris Green", "Adele Vance", "Bianca Pisani"]);
    expect(await byUserName.getAttribute("aria-sort")).toBe("ascending");
    expect(await byName.getAttribute("aria-sort")).toBe("none");
    expect(new URL(page.url()).search).toBe("?sort=userPrincipalName");
    await expectAccessible();

    await page.getByRole("searchbox", { name: "Search users by name or user name" }).fill("b");
    await expect.poll(shownNames, patiently).toEqual(["Adele Vance", "Bianca Pisani"]);
    await byUserName.getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual(["Bianca Pisani", "Adele Vance"]);
    await byName.getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual(["Adele Vance", "Bianca Pisani"]);
    expect(new URL(page.url()).search).toBe("?search=b&sort=displayName");

    // The sort is the address's: a reload keeps it.
    await page.reload();
    await expect.poll(shownNames, patiently).toEqual(["Adele Vance", "Bianca Pisani"]);
    expect(await byName.getAttribute("aria-sort")).toBe("ascending");

    // At phone width the rows are cards and nothing of the page's own runs past the screen's edge
    // (the header, the phone helper's, is not the list's).
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(() =>
        page.evaluate<number>(
          "Math.max(...[...document.querySelectorAll('main *:not(thead, thead *)')].map((e) => e.getBoundingClientRect().right))",
        ),
      )
      .toBeLessThanOrEqual(390);
    await expectAccessible();
    await screenshot(page, "users-list-phone");
  }, 60_000);

  it("filters by product and by license errors", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    await tenant.buy(skus.e3, 1);
    const id = tag();
    const lee = await person(tenant, "Lee Gu", `lee-${id}`, { licenses: [{ skuId: skus.businessStandard }] });
    const ada = await person(tenant, "Ada Lovelace", `ada-${id}`);
    const bo = await person(tenant, "Bo Andersson", `bo-${id}`);
    // A group with E3 for two members and one seat: one member waits, in a license error.
    const group = await tenant.call<{ id: string }>("POST", "/api/groups", {
      displayName: `Short ${id}`,
      mailNickname: `short${id}`,
      securityEnabled: true,
      mailEnabled: false,
      "members@odata.bind": [ada.id, bo.id].map(
        (member) => `https://graph.microsoft.com/v1.0/directoryObjects/${member}`,
      ),
    });
    expect(group.status).toBe(201);
    const licensed = await tenant.call("POST", `/api/groups/${group.body.id}/assignLicense`, {
      addLicenses: [{ skuId: skus.e3, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(licensed.status).toBe(202);
    const waiting = await eventually(
      async () =>
        (
          await tenant.call<{ value: UserBody[] }>(
            "GET",
            `/api/groups/${group.body.id}/membersWithLicenseErrors`,
          )
        ).body.value,
      (members) => members.length === 1,
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const inError = waiting[0]?.displayName;
    const served = inError === "Ada Lovelace" ? "Bo Andersson" : "Ada Lovelace";

    await openUsers(tenant.admin);
    await expect.poll(async () => (await shownNames()).length, patiently).toBe(3);
    await page.getByLabel("Product").selectOption({ label: businessStandard.displayName });
    await expect.poll(shownNames, patiently).toEqual([lee.displayName]);
    await page.getByLabel("Product").selectOption({ label: e3.displayName });
    await expect.poll(shownNames, patiently).toEqual([served]);
    expect(new URL(page.url()).searchParams.get("product")).toBe(skus.e3);
    await page.getByLabel("Product").selectOption({ label: "All products" });
    await page.getByLabel("Filter").selectOption({ label: "Users with license errors" });
    await expect.poll(shownNames, patiently).toEqual([inError]);
    await expectAccessible();
  }, 60_000);

  it("exports every user the list takes, all pages in its order, to a CSV Excel reads", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 1);
    await arrangeUsers(app, tenant.tenantId, 52, "Pager");
    const id = tag();
    const asa = await person(tenant, 'Åsa "Ace" Öberg, Jr.', `asa-${id}`, {
      usageLocation: "SE",
      licenses: [{ skuId: skus.businessStandard }],
    });

    await openUsers(tenant.admin);
    await page.getByRole("columnheader", { name: "Display name" }).getByRole("button").click();
    await expect.poll(async () => (await shownNames()).length, patiently).toBe(50);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export users" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^users-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile(await download.path(), "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines.at(-1)).toBe("");
    expect(lines[0]).toBe("Display name,Username,Licenses,Usage location,Sign-in allowed,User type");
    // All 53 users, not only the 50 shown, in the list's order (the service's: Å sorts with A).
    expect(lines).toHaveLength(1 + 53 + 1);
    expect(lines[1]).toBe(
      `"Åsa ""Ace"" Öberg, Jr.",${asa.userPrincipalName},${businessStandard.displayName},Sweden,Yes,Member`,
    );
    expect(lines[2]).toBe("Pager 001,pager001@contoso.example,,,Yes,Member");
    expect(lines[53]).toBe("Pager 052,pager052@contoso.example,,,Yes,Member");
    await page.getByText(/^Exported 53 users to users-\d{4}-\d{2}-\d{2}\.csv\.$/).waitFor();
    await expectAccessible();

    // What is filtered, and only that.
    await page.getByRole("searchbox", { name: "Search users by name or user name" }).fill("Å");
    await expect.poll(shownNames, patiently).toEqual([asa.displayName]);
    const [filtered] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export users" }).click(),
    ]);
    const filteredLines = (await readFile(await filtered.path(), "utf8")).split("\r\n");
    expect(filteredLines).toHaveLength(3);
    expect(filteredLines[1]?.startsWith('"Åsa ""Ace""')).toBe(true);
  }, 60_000);

  it("adds a license to 3 selected users as one job, then unassigns all after a confirmation naming 3 and the date", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const id = tag();
    const chosen = await Promise.all(
      ["Ada", "Bo", "Cy"].map((name) => person(tenant, `${name} ${id}`, `${name.toLowerCase()}-${id}`)),
    );
    await person(tenant, `Dan ${id}`, `dan-${id}`);
    const licensesOf = async (user: { id: string }) =>
      (await tenant.call<UserBody>("GET", `/api/users/${user.id}`)).body.assignedLicenses.map((l) => l.skuId);

    await openUsers(tenant.admin);
    await page.getByRole("columnheader", { name: "Display name" }).getByRole("button").click();
    await expect
      .poll(shownNames, patiently)
      .toEqual(["Ada", "Bo", "Cy", "Dan"].map((name) => `${name} ${id}`));
    const manage = page.getByRole("button", { name: "Manage product licenses" });
    expect(await manage.isDisabled()).toBe(true);
    for (const user of chosen)
      await page.getByRole("checkbox", { name: `Select ${user.displayName}` }).check();
    await page.getByText("3 users selected").waitFor();
    await manage.click();

    const dialog = page.getByRole("dialog", { name: "Manage product licenses" });
    await dialog.getByText(`For Ada ${id}, Bo ${id}, and Cy ${id}.`).waitFor();
    await dialog.getByRole("radio", { name: "Add to existing product license assignments" }).check();
    await dialog
      .getByRole("checkbox", { name: `${businessStandard.displayName} (5 of 5 available)` })
      .check();
    await expectAccessible();
    await screenshot(page, "users-list-manage");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    // Save goes with the job's start: focus stays in the dialog (so Escape works), not on <body>.
    await expect
      .poll(
        () => page.evaluate<boolean>("document.activeElement?.closest('[role=dialog]') != null"),
        patiently,
      )
      .toBe(true);
    await dialog
      .getByText(/^Add Microsoft 365 Business Standard to 3 users, started .*: Succeeded$/)
      .waitFor({
        timeout: 30_000,
      });
    await dialog.getByRole("link", { name: "See it on the Jobs page" }).waitFor();
    await expectAccessible();
    for (const user of chosen) expect(await licensesOf(user)).toEqual([skus.businessStandard]);
    // Escape does what Close does: the page says what the job did.
    await page.keyboard.press("Escape");
    await page
      .getByText("Add to existing product license assignments: 3 of 3 users changed, 0 failed.")
      .waitFor();
    await page.getByRole("row", { name: new RegExp(`Ada ${id}.*${businessStandard.displayName}`) }).waitFor();

    // Unassign all: the data-loss date, then a confirmation naming how many.
    await manage.click();
    await dialog.getByRole("radio", { name: "Unassign all" }).check();
    const date = await dataLossDate();
    await dialog.getByText(`until ${date}`, { exact: false }).waitFor();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    const confirm = page.getByRole("dialog", { name: "Remove all licenses from 3 users?" });
    await confirm.getByText(`until ${date}`, { exact: false }).waitFor();
    await expectAccessible();
    await screenshot(page, "users-list-remove-all");
    for (const user of chosen) expect(await licensesOf(user)).toEqual([skus.businessStandard]);
    await confirm.getByRole("button", { name: "Remove all licenses" }).click();
    await confirm.getByText(/^Remove all licenses from 3 users, started .*: Succeeded$/).waitFor({
      timeout: 30_000,
    });
    for (const user of chosen) expect(await licensesOf(user)).toEqual([]);
    // The job is on the Jobs page too.
    await confirm.getByRole("link", { name: "See it on the Jobs page" }).click();
    await page.getByRole("heading", { name: "Job", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/jobs\/[0-9a-f-]+$/);
    await expectAccessible();
  }, 90_000);

  it("deletes the selected users after a confirmation naming how many, and the deleted filter restores one", async () => {
    const tenant = await newTenant(app);
    const id = tag();
    const ada = await person(tenant, `Ada ${id}`, `ada-${id}`);
    const bo = await person(tenant, `Bo ${id}`, `bo-${id}`);
    const cy = await person(tenant, `Cy ${id}`, `cy-${id}`);

    await openUsers(tenant.admin);
    await page.getByRole("columnheader", { name: "Display name" }).getByRole("button").click();
    await expect.poll(shownNames, patiently).toEqual([ada, bo, cy].map((user) => user.displayName));
    await page.getByRole("checkbox", { name: "Select all users on this page" }).check();
    await page.getByRole("checkbox", { name: `Select ${cy.displayName}` }).uncheck();
    await page.getByRole("button", { name: "Delete users" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete 2 users?" });
    await confirm.getByText(`These users are deleted: Ada ${id} and Bo ${id}.`, { exact: false }).waitFor();
    await confirm.getByText(`until ${await dataLossDate()}`, { exact: false }).waitFor();
    await expectAccessible();
    await confirm.getByRole("button", { name: "Delete users" }).click();
    await page.getByText(`Deleted Ada ${id} and Bo ${id}.`).waitFor();
    await expect.poll(shownNames, patiently).toEqual([cy.displayName]);
    expect((await tenant.call("GET", `/api/users/${ada.id}`)).status).toBe(404);
    expect((await tenant.call("GET", `/api/users/${bo.id}`)).status).toBe(404);

    await page.getByLabel("Filter").selectOption({ label: "Deleted users" });
    await page.getByRole("row", { name: new RegExp(`Ada ${id}`) }).waitFor();
    await page.getByRole("row", { name: new RegExp(`Bo ${id}`) }).waitFor();
    await page.getByRole("button", { name: `Restore Ada ${id}` }).click();
    await page.getByText(`Restored Ada ${id}.`, { exact: false }).waitFor();
    expect((await tenant.call("GET", `/api/users/${ada.id}`)).status).toBe(200);
    await expectAccessible();
  }, 60_000);
});
