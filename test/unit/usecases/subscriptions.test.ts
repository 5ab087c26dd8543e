// buySubscription and changeSubscription against in-memory ports (R5): the ledger moves with the
// subscription in one commit, and seats never fall below what is assigned.
import { describe, expect, it } from "vitest";
import { changeSubscription } from "../../../shared/usecases/change-subscription.js";
import { skus } from "../../support/catalog-ids.js";
import {
  addUser,
  admin,
  buySeats,
  clearCommits,
  expectProblem,
  kindsOf,
  tenantId,
  world,
} from "./fixture.js";

const sku = skus.businessBasic;
const ledger = async (w: ReturnType<typeof world>) => (await w.deps.store.getLedger(tenantId, sku))?.value;

describe("buySubscription", () => {
  it("adds the subscription's seats to the product's ledger in the same commit", async () => {
    const w = world();
    await buySeats(w, sku, 3);
    const second = await buySeats(w, sku, 2);

    expect((await ledger(w))?.enabledAdmin).toBe(5);
    expect(kindsOf(w, 1)).toEqual(["audit", "putLedger", "putSubscription"]);
    expect((await w.deps.store.getSubscription(tenantId, second.id))?.value).toMatchObject({
      seats: 2,
      status: "Enabled",
    });
  });
});

describe("changeSubscription", () => {
  it("refuses to cut seats below those assigned, and changes neither subscription nor ledger", async () => {
    const w = world();
    const subscription = await buySeats(w, sku, 3);
    await addUser(w, "ada", [sku]);
    await addUser(w, "bob", [sku]);
    clearCommits(w);

    await expectProblem(
      changeSubscription(w.deps, admin, subscription.id, { kind: "update", seats: 1 }),
      "SeatsBelowAssigned",
    );

    expect(w.records.commits).toEqual([]);
    expect((await ledger(w))?.enabledAdmin).toBe(3);
    expect((await w.deps.store.getSubscription(tenantId, subscription.id))?.value.seats).toBe(3);
  });

  it("cuts seats down to exactly those assigned", async () => {
    const w = world();
    const subscription = await buySeats(w, sku, 3);
    await addUser(w, "ada", [sku]);
    await addUser(w, "bob", [sku]);

    await changeSubscription(w.deps, admin, subscription.id, { kind: "update", seats: 2 });

    expect(await ledger(w)).toMatchObject({ enabledAdmin: 2, consumed: 2 });
  });

  it("refuses to suspend a subscription whose seats are all in use", async () => {
    const w = world();
    const subscription = await buySeats(w, sku, 1);
    await addUser(w, "ada", [sku]);

    await expectProblem(
      changeSubscription(w.deps, admin, subscription.id, { kind: "update", status: "Suspended" }),
      "SeatsBelowAssigned",
    );
    expect((await ledger(w))?.enabledAdmin).toBe(1);
  });

  it("finds no subscription that does not exist (404)", async () => {
    const w = world();
    await expectProblem(
      changeSubscription(w.deps, admin, "00000000-0000-4000-8000-999999999999", { kind: "update", seats: 1 }),
      "NotFound",
    );
  });
});

describe("changeSubscription racing another process", () => {
  it("decides again rather than refuse on a subscription and a ledger read either side of another process's commit", async () => {
    const w = world();
    const subscription = await buySeats(w, sku, 30);
    // Between this process's read of the subscription (30 seats) and its read of the ledger, another
    // process cuts the subscription to 10 seats: a ledger of 10 beside a subscription of 30.
    const getSubscription = w.records.getSubscription.bind(w.records);
    let interfered = false;
    w.records.getSubscription = async (id, subscriptionId) => {
      const found = await getSubscription(id, subscriptionId);
      if (!interfered && found) {
        interfered = true;
        const ledgerNow = await w.records.getLedger(tenantId, sku);
        if (!ledgerNow) throw new Error("no ledger");
        await w.records.commitElsewhere(tenantId, [
          { kind: "putSubscription", subscription: { ...found.value, seats: 10 }, etag: found.etag },
          { kind: "putLedger", ledger: { ...ledgerNow.value, enabledAdmin: 10 }, etag: ledgerNow.etag },
        ]);
      }
      return found;
    };

    // 12 seats are fine on the subscription as it now is (10 → 12); on the mixed pair they would
    // leave 10 − 30 + 12 = −8 enabled seats, the impossible SeatsBelowAssigned.
    const changed = await changeSubscription(w.deps, admin, subscription.id, { kind: "update", seats: 12 });

    expect(interfered).toBe(true);
    expect(changed.value.seats).toBe(12);
    expect((await ledger(w))?.enabledAdmin).toBe(12);
  });
});
