// assignLicense against in-memory fakes of the storage ports (no Azurite): the seat ledger, the
// holder index, the audit line and the event commit together, and a stale ledger is re-read.
import { describe, expect, it } from "vitest";
import type { Actor, User } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import { assignLicense } from "../../shared/usecases/assign-licenses.js";
import { buySubscription } from "../../shared/usecases/buy-subscription.js";
import { skus } from "../support/catalog-ids.js";
import { inMemoryDeps } from "../support/in-memory-ports.js";
import { TestClock } from "../support/test-clock.js";

const tenantId = "11111111-1111-4111-8111-111111111111";
const admin: Actor = { tenantId, objectId: "admin", roles: ["GlobalAdministrator"] };
const sku = skus.businessBasic;
const add = { addLicenses: [{ skuId: sku }], removeLicenses: [] };
const commitNow = { dryRun: false };

function user(i: number): User {
  return {
    id: `00000000-0000-4000-9000-00000000000${i}`,
    userPrincipalName: `user${i}@contoso.example`,
    displayName: `User ${i}`,
    userType: "Member",
    mailboxType: "User",
    assignedLicenses: [],
    provisioning: initialProvisioning("User", () => `mailbox-${i}`),
    litigationHold: false,
    createdAt: "2024-01-01T00:00:00.000Z",
  };
}

/** A tenant with `seats` seats of the product and three users without licenses. */
async function tenant(seats: number) {
  const fake = inMemoryDeps(new TestClock());
  await buySubscription(fake.deps, admin, { skuId: sku, seats, purchaseChannel: "Admin" });
  const users = [user(1), user(2), user(3)];
  await fake.records.commit(
    tenantId,
    users.map((u) => ({ kind: "createUser" as const, user: u })),
  );
  fake.records.commits.length = 0;
  return { ...fake, users };
}

describe("assignLicense against in-memory ports", () => {
  it("takes one seat and commits the user, the ledger, the holder, the audit line and the event at once", async () => {
    const { deps, records, published, users } = await tenant(2);
    const [first] = users;
    if (!first) throw new Error("no user");

    const result = await assignLicense(deps, admin, first.id, add, commitNow);
    await deps.outbox.flush();

    expect(result.seatChanges).toEqual([{ skuId: sku, delta: 1, availableBefore: 2, availableAfter: 1 }]);
    expect(records.commits).toHaveLength(1);
    expect(records.commits[0]?.writes.map((w) => w.kind).sort()).toEqual(
      ["addHolder", "audit", "outbox", "putLedger", "updateUser"].sort(),
    );
    expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(1);
    expect(await deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set([first.id]));
    const stored = await deps.store.getUser(tenantId, first.id);
    expect(stored?.value.assignedLicenses.map((l) => l.skuId)).toEqual([sku]);
    expect((await deps.store.listAudit(tenantId)).map((r) => r.action)).toContain("assignLicense");
    expect(published.map((e) => e.subject)).toContain(`users/${first.id}`);
  });

  it("refuses the seat beyond the last and writes nothing", async () => {
    const { deps, records, users } = await tenant(2);
    const [a, b, c] = users;
    if (!a || !b || !c) throw new Error("no users");
    await assignLicense(deps, admin, a.id, add, commitNow);
    await assignLicense(deps, admin, b.id, add, commitNow);
    records.commits.length = 0;

    const refused = assignLicense(deps, admin, c.id, add, commitNow);
    await expect(refused).rejects.toBeInstanceOf(ProblemError);
    await expect(refused).rejects.toMatchObject({ code: "CountViolation" });
    expect(records.commits).toEqual([]);
    expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(2);
    expect((await deps.store.getUser(tenantId, c.id))?.value.assignedLicenses).toEqual([]);
  });

  it("re-reads the ledger when another writer took a seat meanwhile, and counts both seats", async () => {
    const { deps, records, users } = await tenant(2);
    const [a, b] = users;
    if (!a || !b) throw new Error("no users");
    // Another instance gives B a seat between this request's reads and its commit: the ledger's ETag moves.
    const commit = records.commit.bind(records);
    let interfered = false;
    records.commit = async (id, writes) => {
      if (!interfered && writes.some((w) => w.kind === "putLedger")) {
        interfered = true;
        const ledger = await records.getLedger(tenantId, sku);
        if (!ledger) throw new Error("no ledger");
        await commit(id, [
          {
            kind: "putLedger",
            ledger: { ...ledger.value, consumed: ledger.value.consumed + 1 },
            etag: ledger.etag,
          },
          { kind: "addHolder", skuId: sku, userId: b.id },
        ]);
      }
      return commit(id, writes);
    };

    await assignLicense(deps, admin, a.id, add, commitNow);

    expect(interfered).toBe(true);
    expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(2);
    expect(await deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set([a.id, b.id]));
  });
});
