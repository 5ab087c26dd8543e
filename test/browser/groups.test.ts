// The console's Groups pages in Debian's Chromium, against the real app (local host, Azurite, the
// queue triggers: a group's licenses reach its members through the queue): create a group, add
// members with the people picker, put a license on it and watch processing complete, the member's
// panel showing the license inherited (locked, linked to the group); a shortage's members in error
// with the reason in words and Reprocess; a licensed group's deletion refused in words.
import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations, signIn } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM");

type Tenant = Awaited<ReturnType<typeof newTenant>>;

interface AssignmentState {
  readonly skuId: string;
  readonly assignedByGroup: string | null;
  readonly error: string;
}
interface UserBody {
  readonly id: string;
  readonly displayName: string;
  readonly assignedLicenses: readonly { readonly skuId: string }[];
  readonly licenseAssignmentStates: readonly AssignmentState[];
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

const unique = () => randomUUID().slice(0, 6);

/** A user made through the API, with the name the console shows. */
async function person(tenant: Tenant, displayName: string, extra: Record<string, unknown> = {}) {
  const { id } = await tenant.user({ displayName, ...extra });
  return { id, displayName };
}

async function openGroups(token: string): Promise<void> {
  await signIn(page, app.url, token);
  await page.getByRole("navigation", { name: "Admin center" }).getByRole("link", { name: "Groups" }).click();
  await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
}

/** A group made through the API, with its first members. */
async function groupWith(tenant: Tenant, displayName: string, memberIds: readonly string[]) {
  const response = await tenant.call<{ id: string }>("POST", "/api/groups", {
    displayName,
    mailNickname: displayName.replace(/\W/g, ""),
    securityEnabled: true,
    mailEnabled: false,
    "members@odata.bind": memberIds.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`),
  });
  if (response.status !== 201) throw new Error(`create group failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Ticks the product on the group's page and saves, then waits for the members to be processed. */
async function putLicenseOnGroup(groupName: string, available: string, members: number): Promise<void> {
  await page
    .getByRole("checkbox", { name: `${businessStandard.displayName} (${available} licenses available)` })
    .check();
  await page.getByRole("button", { name: "Save licenses" }).click();
  await page
    .getByText(`Saved the licenses of ${groupName}: its members get them in the background.`)
    .waitFor();
  await page
    .getByRole("status")
    .filter({
      hasText: `Processing complete · ${members} of ${members} member${members === 1 ? "" : "s"} processed`,
    })
    .waitFor({ timeout: 30_000 });
}

describe("the Groups page", () => {
  it("creates a group, adds members, puts a license on it, and the member's panel shows it inherited", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const tag = unique();
    const ada = await person(tenant, `Ada ${tag}`, { usageLocation: "NO" });
    const bo = await person(tenant, `Bo ${tag}`);
    const groupName = `Sales ${tag}`;

    await openGroups(tenant.admin);
    await page.getByText("No groups yet.").waitFor();
    await page.getByRole("button", { name: "Create a group" }).click();
    const create = page.getByRole("dialog", { name: "Create a group" });
    await create.getByLabel(/^Name/).fill(groupName);
    expect(await create.getByLabel(/^Mail nickname/).inputValue()).toBe(`Sales${tag}`);
    await create.getByLabel("Description").fill("Everyone who sells");
    await create.getByRole("button", { name: "Create" }).click();
    await page.getByText(`Created the group ${groupName}.`).waitFor();
    const row = page.getByRole("row", {
      name: new RegExp(`${groupName}.*Everyone who sells.*None.*Processing complete.*None`),
    });
    await row.waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "groups");

    await row.getByRole("link", { name: groupName }).click();
    await page.getByRole("heading", { name: groupName, level: 1 }).waitFor();
    await page.getByText("This group has no members yet.").waitFor();
    const picker = page.getByRole("combobox", { name: "Add members" });
    for (const user of [ada, bo]) {
      await picker.fill(user.displayName);
      await page.getByRole("option", { name: new RegExp(`^${user.displayName}`) }).click();
    }
    await page.getByRole("button", { name: "Add 2 members" }).click();
    await page.getByText(`Added ${ada.displayName} and ${bo.displayName} to the group.`).waitFor();
    const members = page.getByRole("table", { name: "Members", exact: true });
    await members.getByRole("row", { name: new RegExp(ada.displayName) }).waitFor();
    await members.getByRole("row", { name: new RegExp(bo.displayName) }).waitFor();

    await putLicenseOnGroup(groupName, "5 of 5", 2);
    await page
      .getByRole("progressbar", { name: `${groupName}: licenses processed for 2 of 2 members` })
      .waitFor();
    await page.getByText("Every member has the group's licenses.").waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "group");

    // The server agrees: each member holds the product through the group, and one seat each.
    const groupId = new URL(page.url()).pathname.split("/").at(-1) ?? "";
    for (const user of [ada, bo]) {
      const read = await tenant.call<UserBody>("GET", `/api/users/${user.id}`);
      expect(read.body.licenseAssignmentStates).toMatchObject([
        { skuId: businessStandard.skuId, assignedByGroup: groupId, error: "None" },
      ]);
    }
    expect((await tenant.sku(skus.businessStandard)).consumedUnits).toBe(2);

    // The member's panel: inherited, locked, linked to the group; and the usage location.
    await members.getByRole("link", { name: ada.displayName }).click();
    const panel = page.getByRole("dialog", { name: ada.displayName });
    await panel.getByRole("heading", { name: "Licenses and apps" }).waitFor();
    const license = panel.getByRole("checkbox", { name: new RegExp(`^${businessStandard.displayName}`) });
    expect(await license.isChecked()).toBe(true);
    expect(await license.isDisabled()).toBe(true);
    await panel.getByText("Inherited from").waitFor();
    await panel.getByText("Inherited licenses are changed on their group, not here.").waitFor();
    await panel.getByText("Norway (NO)").waitFor();
    expect(await panel.getByText("Assigned directly").count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "user-panel-inherited");
    await panel.getByRole("link", { name: groupName }).click();
    await page.getByRole("heading", { name: groupName, level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/groups/${groupId}`);

    // Removing a member takes what only the group gave.
    await page.getByRole("button", { name: `Remove ${bo.displayName} from the group` }).click();
    await page.getByText(`Removed ${bo.displayName} from the group.`).waitFor();
    expect((await tenant.call<UserBody>("GET", `/api/users/${bo.id}`)).body.assignedLicenses).toEqual([]);
  }, 120_000);

  it("shows members held back by a shortage with the reason in words, and Reprocess's outcome", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 1);
    const tag = unique();
    const ada = await person(tenant, `Ada ${tag}`);
    const bo = await person(tenant, `Bo ${tag}`);
    const groupName = `Short ${tag}`;
    const group = await groupWith(tenant, groupName, [ada.id, bo.id]);

    await openGroups(tenant.admin);
    await page.getByRole("link", { name: groupName }).click();
    await page.getByRole("heading", { name: groupName, level: 1 }).waitFor();
    await putLicenseOnGroup(groupName, "1 of 1", 2);

    // Which member got the one seat is the queue's order: the server says who waits.
    const waiting = await tenant.call<{ value: UserBody[] }>(
      "GET",
      `/api/groups/${group.id}/membersWithLicenseErrors`,
    );
    expect(waiting.body.value).toHaveLength(1);
    const inError = waiting.body.value[0] as UserBody;
    const errors = page.getByRole("table", { name: "Members with license errors" });
    await errors
      .getByRole("row", {
        name: new RegExp(`${inError.displayName}.*${businessStandard.displayName}.*Not enough licenses`),
      })
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "group-errors");

    await errors.getByRole("button", { name: `Reprocess ${inError.displayName}` }).click();
    await page
      .getByText(
        `Reprocessed ${inError.displayName}; still not given: ${businessStandard.displayName} (Not enough licenses).`,
      )
      .waitFor();

    // On the Groups page: the member in error is counted.
    await page.getByRole("link", { name: "← All groups" }).click();
    await page
      .getByRole("row", { name: new RegExp(`${groupName}.*1 license.*Processing complete.*1 member`) })
      .waitFor();

    // The waiting member's panel says why the group's license is not theirs.
    await page.getByRole("navigation", { name: "Admin center" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("link", { name: inError.displayName, exact: true }).click();
    const panel = page.getByRole("dialog", { name: inError.displayName });
    await panel.getByText("Not given: Not enough licenses.").waitFor();
    expect(
      await panel.getByRole("checkbox", { name: new RegExp(`^${businessStandard.displayName}`) }).isChecked(),
    ).toBe(false);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 120_000);

  it("says in words why a group with licenses cannot be deleted, and deletes it once they are removed", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 2);
    const tag = unique();
    const ada = await person(tenant, `Ada ${tag}`);
    const groupName = `Licensed ${tag}`;
    const group = await groupWith(tenant, groupName, [ada.id]);

    await signIn(page, app.url, tenant.admin);
    await page.goto(`${app.url}/groups/${group.id}`);
    await page.getByRole("heading", { name: groupName, level: 1 }).waitFor();
    await putLicenseOnGroup(groupName, "2 of 2", 1);

    await page.getByRole("button", { name: "Delete group" }).click();
    const confirm = page.getByRole("dialog", { name: `Delete ${groupName}?` });
    await confirm.getByRole("button", { name: "Delete" }).click();
    const alert = confirm.getByRole("alert");
    await alert
      .getByText(`${groupName} cannot be deleted while it has 1 license: its members would lose them.`, {
        exact: false,
      })
      .waitFor();
    expect(await alert.innerText()).not.toContain(group.id);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await confirm.getByRole("button", { name: "Cancel" }).click();

    await page
      .getByRole("checkbox", { name: `${businessStandard.displayName} (1 of 2 licenses available)` })
      .uncheck();
    await page.getByRole("button", { name: "Save licenses" }).click();
    await page.getByText(`Saved the licenses of ${groupName}`, { exact: false }).waitFor();
    await page.getByRole("status").filter({ hasText: "Processing complete" }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Delete group" }).click();
    await confirm.getByRole("button", { name: "Delete" }).click();
    await page.getByText(`Deleted the group ${groupName}.`).waitFor();
    await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
    expect((await tenant.call("GET", `/api/groups/${group.id}`)).status).toBe(404);
    expect((await tenant.call<UserBody>("GET", `/api/users/${ada.id}`)).body.assignedLicenses).toEqual([]);
  }, 120_000);
});
