// Taking licenses away shows at once (R18–R20): the worker never runs in this file, so whatever a
// read shows right after an unassign, a delete or a restore, that change's own transaction wrote.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyProvisioning } from "../../shared/usecases/apply-provisioning.js";
import { sweepRetention } from "../../shared/usecases/sweep-retention.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";
import { days, TestClock } from "../support/test-clock.js";

const clock = new TestClock();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ clock, triggers: false });
});
afterAll(async () => {
  await app?.close();
});

type Tenant = Awaited<ReturnType<typeof newTenant>>;

/** A Business Standard user the worker's use case has provisioned, with Office on one device. */
async function provisionedUser(t: Tenant) {
  await t.buy(skus.businessStandard, 1);
  const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });
  expect(await applyProvisioning(app.services.deps, t.tenantId, user.id)).toBe(true);
  const installed = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
    deviceName: "PC 1",
    platform: "Windows",
  });
  expect(installed.status).toBe(201);
  expect((await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state).toBe("Active");
  return user;
}

/** Retained for the retention period from `from` (give or take the request's own duration). */
function expectRetainedFrom(mailbox: { state?: unknown; retainedUntil?: unknown }, from: number) {
  expect(mailbox.state).toBe("Retained");
  const until = Date.parse(String(mailbox.retainedUntil));
  expect(until - from).toBeGreaterThanOrEqual(days(30));
  expect(until - from).toBeLessThanOrEqual(days(30) + 5_000);
}

async function expectWithdrawn(t: Tenant, userId: string, from: number) {
  expectRetainedFrom((await t.call("GET", `/api/users/${userId}/mailbox`)).body, from);
  expect((await t.call("GET", `/api/users/${userId}/provisioning`)).body).toMatchObject({
    teamSite: { permission: "None" },
    skypeForBusiness: false,
    teams: false,
    officeApps: { entitled: false, installs: [] },
  });
}

describe("taking licenses away, with no worker running", () => {
  it("shows the mailbox Retained and the access gone right after an unassign, and the worker then changes nothing", async () => {
    const t = await newTenant(app);
    const user = await provisionedUser(t);
    const at = clock.now().getTime();
    expect((await t.assign(user.id, { removeLicenses: [skus.businessStandard] })).status).toBe(200);
    await expectWithdrawn(t, user.id, at);
    expect(await applyProvisioning(app.services.deps, t.tenantId, user.id)).toBe(false);
    await expectWithdrawn(t, user.id, at);
  });

  it("retains the mailbox in the deletion's own transaction, and shows it Retained right after a restore", async () => {
    const t = await newTenant(app);
    const user = await provisionedUser(t);
    const at = clock.now().getTime();
    expect((await t.call("DELETE", `/api/users/${user.id}`)).status).toBe(204);
    // A deleted user's routes answer 404: read the record itself.
    const deleted = await app.services.deps.store.getUser(t.tenantId, user.id);
    expectRetainedFrom(deleted?.value.provisioning.mailbox ?? {}, at);
    expect(deleted?.value.provisioning).toMatchObject({ teamSitePermission: "None", officeInstalls: [] });

    clock.advance(days(2));
    expect((await t.call("POST", `/api/users/${user.id}/restore`)).status).toBe(200);
    await expectWithdrawn(t, user.id, at);
    expect(await applyProvisioning(app.services.deps, t.tenantId, user.id)).toBe(false);
  });

  it("shows the mailbox Retained right after the product-centric unassign", async () => {
    const t = await newTenant(app);
    const user = await provisionedUser(t);
    const at = clock.now().getTime();
    const unassigned = await t.call("POST", `/api/subscribedSkus/${skus.businessStandard}/unassign`, {
      userIds: [user.id],
    });
    expect(unassigned.status).toBe(200);
    await expectWithdrawn(t, user.id, at);
  });

  it("indexes the retention an unassign starts, so the sweep purges the mailbox when it is due", async () => {
    const t = await newTenant(app);
    const user = await provisionedUser(t);
    await t.assign(user.id, { removeLicenses: [skus.businessStandard] });
    clock.advance(days(31));
    await sweepRetention(app.services.deps);
    expect((await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state).toBe("Purged");
  });

  it("takes away only the switched-off plan's access when a held product's plans change", async () => {
    const t = await newTenant(app);
    const user = await provisionedUser(t);
    const teams = productOf("O365_BUSINESS_PREMIUM").servicePlans.find((p) => p.provisioningKind === "teams");
    const changed = await t.assign(user.id, {
      addLicenses: [{ skuId: skus.businessStandard, disabledPlans: [teams?.servicePlanId] }],
    });
    expect(changed.status).toBe(200);
    expect((await t.call("GET", `/api/users/${user.id}/provisioning`)).body).toMatchObject({
      teams: false,
      skypeForBusiness: true,
      teamSite: { permission: "Edit" },
      officeApps: { entitled: true },
    });
    expect((await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state).toBe("Active");
  });
});
