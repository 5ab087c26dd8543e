// Two instances of the app on one storage table and one queue, as Azure runs it once it scales out.
// What one instance changed, the other must never answer as done-but-not-done (or as "nothing to
// do") from its own cached copy: through a single assignLicense, a $batch, the product route, a bulk
// job, a producer's event, and a subscription PATCH racing the other instance's.
import { randomUUID } from "node:crypto";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant } from "../support/test-app.js";
import { startTwoInstances, type TwoInstances } from "../support/two-instances.js";

let apps: TwoInstances;
beforeAll(async () => {
  apps = await startTwoInstances();
}, 60_000);
afterAll(async () => {
  await apps?.close();
});

const sku = skus.businessBasic;
const add = { addLicenses: [{ skuId: sku }], removeLicenses: [] };
const remove = { addLicenses: [], removeLicenses: [sku] };

interface UserBody {
  readonly id: string;
  readonly assignedLicenses: { skuId: string }[];
}

/** A tenant with seats, reached through either instance with one token. */
async function tenant(seats: number) {
  const t = await newTenant(apps.a);
  await t.buy(sku, seats);
  const through = (app: "a" | "b") => apps[app];
  const call = <T = Record<string, unknown>>(app: "a" | "b", method: string, path: string, body?: unknown) =>
    through(app).call<T>(method, path, { token: t.admin, ...(body === undefined ? {} : { body }) });
  /** Creates a user through an instance, which then holds them in its cache. */
  const user = async (app: "a" | "b") => {
    const name = `u${randomUUID().slice(0, 8)}`;
    const created = await call<UserBody>(app, "POST", "/api/users", {
      userPrincipalName: `${name}@contoso.example`,
      displayName: name,
    });
    expect(created.status).toBe(201);
    return created.body;
  };
  /** The products a user holds, as read through instance A. */
  const held = async (userId: string) =>
    (await call<UserBody>("a", "GET", `/api/users/${userId}`)).body.assignedLicenses.map((l) => l.skuId);
  const consumed = async () =>
    (await call<{ consumedUnits: number }>("a", "GET", `/api/subscribedSkus/${sku}`)).body.consumedUnits;
  return { ...t, call, user, held, consumed };
}

describe("two instances on one storage", () => {
  it("removes through B a license A assigned after B cached the user, and the reverse", async () => {
    const t = await tenant(5);
    const ada = await t.user("b");
    expect((await t.call("a", "POST", `/api/users/${ada.id}/assignLicense`, add)).status).toBe(200);

    const removed = await t.call<UserBody>("b", "POST", `/api/users/${ada.id}/assignLicense`, remove);

    expect(removed.status).toBe(200);
    expect(removed.body.assignedLicenses).toEqual([]);
    expect(await t.held(ada.id)).toEqual([]);
    expect(await t.consumed()).toBe(0);

    // B now caches Ada unlicensed; A licenses her again; B is asked to add: it must not say "done".
    expect((await t.call("a", "POST", `/api/users/${ada.id}/assignLicense`, add)).status).toBe(200);
    expect((await t.call("a", "POST", `/api/users/${ada.id}/assignLicense`, remove)).status).toBe(200);
    const added = await t.call<UserBody>("b", "POST", `/api/users/${ada.id}/assignLicense`, add);
    expect(added.status).toBe(200);
    expect(await t.held(ada.id)).toEqual([sku]);
    expect(await t.consumed()).toBe(1);
  });

  it("answers every request of a $batch through B by what storage holds", async () => {
    const t = await tenant(10);
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await t.user("b"));
    for (const u of users) await t.call("a", "POST", `/api/users/${u.id}/assignLicense`, add);

    const batch = await t.call<{ responses: { id: string; status: number; body: UserBody }[] }>(
      "b",
      "POST",
      "/v1.0/$batch",
      {
        requests: users.map((u, i) => ({
          id: String(i),
          method: "POST",
          url: `/users/${u.id}/assignLicense`,
          headers: { "Content-Type": "application/json" },
          body: remove,
        })),
      },
    );

    expect(batch.status).toBe(200);
    expect(batch.body.responses.map((r) => r.status)).toEqual(users.map(() => 200));
    for (const r of batch.body.responses) expect(r.body.assignedLicenses).toEqual([]);
    for (const u of users) expect(await t.held(u.id)).toEqual([]);
    expect(await t.consumed()).toBe(0);
  });

  it("unassigns through B's product route what A assigned through its own", async () => {
    const t = await tenant(10);
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await t.user("b"));
    const userIds = users.map((u) => u.id);
    const assigned = await t.call<{ value: { outcome: string }[] }>(
      "a",
      "POST",
      `/api/subscribedSkus/${sku}/assign`,
      { userIds },
    );
    expect(assigned.body.value.map((r) => r.outcome)).toEqual(userIds.map(() => "Succeeded"));

    const unassigned = await t.call<{ value: { outcome: string }[] }>(
      "b",
      "POST",
      `/api/subscribedSkus/${sku}/unassign`,
      { userIds },
    );

    expect(unassigned.body.value.map((r) => r.outcome)).toEqual(userIds.map(() => "Succeeded"));
    for (const id of userIds) expect(await t.held(id)).toEqual([]);
    expect(await t.consumed()).toBe(0);
  });

  it("removes one by one, through both instances, the licenses of a bulk job that either instance's worker ran", async () => {
    const t = await tenant(25);
    const users = [];
    for (let i = 0; i < 20; i++) users.push(await t.user("b"));
    const userIds = users.map((u) => u.id);
    // Both instances cache the users unlicensed; the worker of one of them runs the job.
    for (const id of userIds) await t.call("a", "GET", `/api/users/${id}`);
    const accepted = await t.call<{ jobId: string }>("a", "POST", "/api/licenses/bulk", {
      userIds,
      operation: "add",
      licenses: [{ skuId: sku }],
    });
    expect(accepted.status).toBe(202);
    const job = await eventually(
      async () => (await t.call<{ status: string }>("a", "GET", `/api/jobs/${accepted.body.jobId}`)).body,
      (j) => ["Succeeded", "PartiallySucceeded", "Failed"].includes(j.status),
      { timeoutMs: 30_000 },
    );
    expect(job.status).toBe("Succeeded");

    // Half through each instance: whichever did not run the job answers from its own stale copies.
    const answers = await Promise.all(
      userIds.map((id, i) =>
        t.call<UserBody>(i % 2 === 0 ? "a" : "b", "POST", `/api/users/${id}/assignLicense`, remove),
      ),
    );

    expect(answers.map((r) => r.status)).toEqual(userIds.map(() => 200));
    for (const id of userIds) expect(await t.held(id)).toEqual([]);
    expect(await t.consumed()).toBe(0);
  });

  it("applies producers' license.assignRequested removals, whichever instance's worker takes them", async () => {
    const t = await tenant(25);
    const users = [];
    // Both instances cache every user: each created through B, then read through A.
    for (let i = 0; i < 20; i++) users.push(await t.user("b"));
    for (const u of users) await t.call("a", "POST", `/api/users/${u.id}/assignLicense`, add);
    for (const u of users) await t.call("b", "GET", `/api/users/${u.id}`);
    // Now A removes and adds again, so B's copies are stale but equal in their licenses.
    for (const u of users) {
      await t.call("a", "POST", `/api/users/${u.id}/assignLicense`, remove);
      await t.call("a", "POST", `/api/users/${u.id}/assignLicense`, add);
    }
    const client = new ServiceBusClient(inject("serviceBusConnection"));
    const sender = client.createSender(apps.queue);
    try {
      await sender.sendMessages(
        users.map((u) => ({
          messageId: randomUUID(),
          body: {
            specversion: "1.0",
            id: randomUUID(),
            source: "/hr-system",
            type: "license.assignRequested",
            time: new Date().toISOString(),
            data: { tenantId: t.tenantId, userId: u.id, removeLicenses: [sku] },
          },
        })),
      );
    } finally {
      await sender.close();
      await client.close();
    }

    await eventually(
      () => t.consumed(),
      (n) => n === 0,
      { timeoutMs: 30_000 },
    );
    for (const u of users) expect(await t.held(u.id)).toEqual([]);
  });

  it("changes one subscription's seats through both instances at once without a false SeatsBelowAssigned", async () => {
    const t = await tenant(10);
    const holders = [];
    for (let i = 0; i < 3; i++) holders.push(await t.user("a"));
    for (const u of holders) await t.call("a", "POST", `/api/users/${u.id}/assignLicense`, add);
    const [subscription] = (
      await t.call<{ value: { id: string; skuId: string }[] }>("a", "GET", "/api/subscriptions")
    ).body.value;
    if (!subscription) throw new Error("no subscription");

    // Each instance swings the seats between 200 and 4, both of which cover the 3 licenses
    // assigned: none may be refused. (Read on a subscription of 200 and a ledger of 4, a cut to 4
    // would look like "4 − 200 + 4 = −192 enabled seats".)
    const answers = await Promise.all(
      Array.from({ length: 160 }, (_, i) =>
        t.call<{ seats?: number; code?: string; detail?: string }>(
          i % 2 === 0 ? "a" : "b",
          "PATCH",
          `/api/subscriptions/${subscription.id}`,
          { seats: Math.floor(i / 2) % 2 === 0 ? 200 : 4 },
        ),
      ),
    );

    const refused = answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.detail}`);
    expect(refused).toEqual([]);
    const seats = (await t.call<{ seats: number }>("a", "GET", `/api/subscriptions/${subscription.id}`)).body
      .seats;
    const product = (
      await t.call<{ prepaidUnits: { enabled: number }; consumedUnits: number }>(
        "b",
        "GET",
        `/api/subscribedSkus/${sku}`,
      )
    ).body;
    expect(product).toMatchObject({ prepaidUnits: { enabled: seats }, consumedUnits: 3 });
  }, 60_000);
});
