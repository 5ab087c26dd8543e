// assignProductUsers against in-memory ports (R11, R14): a result per user, and seats for the whole
// list checked before anyone is changed.
import { describe, expect, it } from "vitest";
import { assignProductUsers } from "../../../shared/usecases/assign-product-users.js";
import { skus } from "../../support/catalog-ids.js";
import {
  addUser,
  admin,
  buySeats,
  clearCommits,
  consumed,
  expectProblem,
  tenantId,
  world,
} from "./fixture.js";

const sku = skus.businessBasic;

describe("assignProductUsers", () => {
  it("reports Unchanged for users who already hold the product and Succeeded for the others", async () => {
    const w = world();
    await buySeats(w, sku, 3);
    const holder = await addUser(w, "ada", [sku]);
    const other = await addUser(w, "bob");

    const results = await assignProductUsers(w.deps, admin, {
      skuId: sku,
      userIds: [holder.id, other.id],
      operation: "add",
    });

    expect(results).toEqual([
      { userId: holder.id, outcome: "Unchanged" },
      { userId: other.id, outcome: "Succeeded" },
    ]);
    expect(await consumed(w, sku)).toBe(2);
    expect(await w.deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set([holder.id, other.id]));
  });

  it("checks seats for the whole list first: one seat short refuses the list and changes no one", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const a = await addUser(w, "ada");
    const b = await addUser(w, "bob");
    clearCommits(w);

    await expectProblem(
      assignProductUsers(w.deps, admin, { skuId: sku, userIds: [a.id, b.id], operation: "add" }),
      "CountViolation",
    );

    expect(w.records.commits).toEqual([]);
    expect(await consumed(w, sku)).toBe(0);
  });

  it("counts no seat for a user who already holds the product", async () => {
    const w = world();
    await buySeats(w, sku, 2);
    const holder = await addUser(w, "ada", [sku]);
    const other = await addUser(w, "bob");

    const results = await assignProductUsers(w.deps, admin, {
      skuId: sku,
      userIds: [holder.id, other.id],
      operation: "add",
    });

    expect(results.map((r) => r.outcome)).toEqual(["Unchanged", "Succeeded"]);
    expect(await consumed(w, sku)).toBe(2);
  });

  it("removes the product from holders, freeing their seats, and reports non-holders Unchanged", async () => {
    const w = world();
    await buySeats(w, sku, 2);
    const holder = await addUser(w, "ada", [sku]);
    const other = await addUser(w, "bob");

    const results = await assignProductUsers(w.deps, admin, {
      skuId: sku,
      userIds: [holder.id, other.id],
      operation: "remove",
    });

    expect(results.map((r) => r.outcome)).toEqual(["Succeeded", "Unchanged"]);
    expect(await consumed(w, sku)).toBe(0);
    expect(await w.deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set());
  });

  it("fails an unknown user alone and changes the rest", async () => {
    const w = world();
    await buySeats(w, sku, 2);
    const known = await addUser(w, "ada");
    const unknown = "00000000-0000-4000-8000-999999999999";

    const results = await assignProductUsers(w.deps, admin, {
      skuId: sku,
      userIds: [unknown, known.id],
      operation: "add",
    });

    expect(results.map((r) => [r.userId, r.outcome])).toEqual([
      [unknown, "Failed"],
      [known.id, "Succeeded"],
    ]);
    expect(await consumed(w, sku)).toBe(1);
  });
});
