// The 30-day retention (R18–R20) with a clock the tests move forward: unassigned mailboxes, deleted
// users, restores, inactive mailboxes under a hold, and the sweep that purges what is due.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../shared/usecases/deps.js";
import { sweepRetention } from "../../shared/usecases/sweep-retention.js";
import { skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";
import { days, TestClock } from "../support/test-clock.js";

const clock = new TestClock();
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ clock });
});
afterAll(async () => {
  await app?.close();
});

type Tenant = Awaited<ReturnType<typeof newTenant>>;
interface MailboxBody {
  state: string;
  retainedUntil?: string;
  dataId?: string;
  sizeGB: number;
  eDiscovery: string;
}

const mailbox = async (t: Tenant, userId: string) =>
  (await t.call<MailboxBody>("GET", `/api/users/${userId}/mailbox`)).body;
const mailboxIn = (t: Tenant, userId: string, state: string) =>
  eventually(
    () => mailbox(t, userId),
    (m) => m.state === state,
  );

async function licensedUser(t: Tenant, skuId: string, extra: Record<string, unknown> = {}) {
  const user = await t.user({ licenses: [{ skuId }], ...extra });
  const active = await mailboxIn(t, user.id, "Active");
  return { ...user, dataId: active.dataId };
}

describe("an unassigned mailbox", () => {
  it("is Retained for 30 days, comes back with its data on day 29, and is purged after day 30", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 1);
    const user = await licensedUser(t, skus.businessStandard);
    expect(user.dataId).toBeDefined();

    const unassignedAt = clock.now().getTime();
    await t.assign(user.id, { removeLicenses: [skus.businessStandard] });
    const retained = await mailboxIn(t, user.id, "Retained");
    const until = Date.parse(retained.retainedUntil ?? "");
    expect(until - unassignedAt).toBeGreaterThanOrEqual(days(30) - 1_000);
    expect(until - unassignedAt).toBeLessThanOrEqual(days(30) + 1_000);
    expect(retained.eDiscovery).toBe("NotSearchable");
    // SharePoint documents are kept on unassignment (R18).
    expect((await t.call("GET", `/api/users/${user.id}/provisioning`)).body.teamSite).toMatchObject({
      permission: "None",
    });

    clock.advance(days(29));
    await t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] });
    const back = await mailboxIn(t, user.id, "Active");
    expect(back.dataId).toBe(user.dataId);

    await t.assign(user.id, { removeLicenses: [skus.businessStandard] });
    const again = await mailboxIn(t, user.id, "Retained");
    clock.advance(days(31));
    const swept = await sweepRetention(app.services.deps);
    expect(swept.expired).toBeGreaterThanOrEqual(1);
    expect(await mailbox(t, user.id)).toMatchObject({ state: "Purged", sizeGB: 0 });
    expect(again.retainedUntil).toBeDefined();

    await t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] });
    const fresh = await mailboxIn(t, user.id, "Active");
    expect(fresh.dataId).toBeDefined();
    expect(fresh.dataId).not.toBe(user.dataId);
  });

  it("becomes Inactive, not Purged, for an E3 user under a litigation hold", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 1);
    await t.buy(skus.businessStandard, 1);
    const held = await licensedUser(t, skus.e3, { litigationHold: true });
    const notEnterprise = await licensedUser(t, skus.businessStandard, { litigationHold: true });
    await t.assign(held.id, { removeLicenses: [skus.e3] });
    await t.assign(notEnterprise.id, { removeLicenses: [skus.businessStandard] });
    await mailboxIn(t, held.id, "Retained");
    await mailboxIn(t, notEnterprise.id, "Retained");

    clock.advance(days(31));
    await sweepRetention(app.services.deps);
    const inactive = await mailbox(t, held.id);
    expect(inactive).toMatchObject({
      state: "Inactive",
      eDiscovery: "SearchableAsInactiveMailbox",
      dataId: held.dataId,
    });
    expect(await mailbox(t, notEnterprise.id)).toMatchObject({
      state: "Purged",
      eDiscovery: "NotSearchable",
    });
  });
});

describe("a deleted user", () => {
  it("frees every seat at once, can be restored unlicensed on day 10, and not on day 31", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 2);
    const kept = await licensedUser(t, skus.businessStandard);
    const lost = await licensedUser(t, skus.businessStandard);

    expect((await t.call("DELETE", `/api/users/${kept.id}`)).status).toBe(204);
    expect((await t.call("DELETE", `/api/users/${lost.id}`)).status).toBe(204);
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(0);
    const deleted = await t.call<{ value: { id: string }[] }>("GET", "/api/users?deleted=true");
    expect(deleted.body.value.map((u) => u.id).sort()).toEqual([kept.id, lost.id].sort());
    expect((await t.call<{ value: unknown[] }>("GET", "/api/users")).body.value).toEqual([]);

    clock.advance(days(10));
    const restored = await t.call("POST", `/api/users/${kept.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.assignedLicenses).toEqual([]);
    expect(restored.body.deletedDateTime).toBeUndefined();
    expect((await t.call("GET", `/api/users/${kept.id}`)).status).toBe(200);
    // Their mailbox waits, retained, for a license.
    expect((await mailbox(t, kept.id)).state).toBe("Retained");

    clock.advance(days(21));
    expect((await t.call("POST", `/api/users/${lost.id}/restore`)).status).toBe(404);
    await sweepRetention(app.services.deps);
    expect((await t.call("POST", `/api/users/${lost.id}/restore`)).status).toBe(404);
    expect((await t.call<{ value: unknown[] }>("GET", "/api/users?deleted=true")).body.value).toEqual([]);
    const purged = await app.services.deps.store.getUser(t.tenantId, lost.id);
    expect(purged?.value.provisioning.mailbox.state).toBe("Purged");
    expect(purged?.value.provisioning.documents).toBe("Purged");
    // Its user principal name is free again.
    const reuse = await t.call("POST", "/api/users", {
      userPrincipalName: purged?.value.userPrincipalName,
      displayName: "New holder of the name",
    });
    expect(reuse.status).toBe(201);
  });
});

describe("the sweep", () => {
  async function retainedMailboxes(t: Tenant, count: number) {
    await t.buy(skus.exchangePlan1, count);
    const users = await Promise.all(
      Array.from({ length: count }, () => t.user({ licenses: [{ skuId: skus.exchangePlan1 }] })),
    );
    for (const user of users) await mailboxIn(t, user.id, "Active");
    for (const user of users) await t.assign(user.id, { removeLicenses: [skus.exchangePlan1] });
    for (const user of users) await mailboxIn(t, user.id, "Retained");
    return users;
  }

  const expiries = async (t: Tenant) =>
    (await app.services.deps.store.listAudit(t.tenantId)).filter(
      (r) => r.action === "retentionExpired:mailbox",
    );

  it("purges each entry once when two sweeps run at the same time", async () => {
    const t = await newTenant(app);
    const users = await retainedMailboxes(t, 12);
    clock.advance(days(31));
    const [a, b] = await Promise.all([
      sweepRetention(app.services.deps, { pageSize: 5 }),
      sweepRetention(app.services.deps, { pageSize: 5 }),
    ]);
    const audits = await expiries(t);
    expect(audits.map((r) => r.target).sort()).toEqual(users.map((u) => `user/${u.id}`).sort());
    expect(a.expired + b.expired).toBeGreaterThanOrEqual(users.length);
    for (const user of users) expect((await mailbox(t, user.id)).state).toBe("Purged");
  });

  it("finishes the job when it is restarted after dying midway", async () => {
    const t = await newTenant(app);
    const users = await retainedMailboxes(t, 10);
    clock.advance(days(31));
    // A sweep whose storage dies after four users.
    let reads = 0;
    const store = app.services.deps.store;
    const dying = Object.create(store) as typeof store;
    dying.getUser = async (...args) => {
      if (++reads > 4) throw new Error("process killed");
      return store.getUser(...args);
    };
    const deps: Deps = { ...app.services.deps, store: dying };
    await expect(sweepRetention(deps, { pageSize: 3 })).rejects.toThrow("process killed");
    const purgedFirst = (await expiries(t)).length;
    expect(purgedFirst).toBeGreaterThan(0);
    expect(purgedFirst).toBeLessThan(users.length);

    const resumed = await sweepRetention(app.services.deps, { pageSize: 3 });
    expect(resumed.done).toBe(true);
    expect((await expiries(t)).length).toBe(users.length);
    for (const user of users) expect((await mailbox(t, user.id)).state).toBe("Purged");
  });

  it("stops after maxEntries and carries on in the next run", async () => {
    const t = await newTenant(app);
    await retainedMailboxes(t, 6);
    clock.advance(days(31));
    const first = await sweepRetention(app.services.deps, { pageSize: 2, maxEntries: 4 });
    expect(first.done).toBe(false);
    expect(first.entriesRead).toBe(4);
    const second = await sweepRetention(app.services.deps, { pageSize: 2 });
    expect(second.done).toBe(true);
    expect((await expiries(t)).length).toBe(6);
  });
});
