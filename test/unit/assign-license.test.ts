// assignLicense against in-memory fakes of the storage ports (no Azurite): the seat ledger, the
// holder index, the audit line and the event commit together, and a stale ledger is re-read.
import { describe, expect, it } from "vitest";
import type { Actor, User } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import { emptyProfile } from "../../shared/domain/user-profile.js";
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
    id: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`,
    userPrincipalName: `user${i}@contoso.example`,
    displayName: `User ${i}`,
    accountEnabled: true,
    mailNickname: null,
    profile: emptyProfile,
    usageLocation: null,
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

  describe("calls of one tenant at once (group commit)", () => {
    /** A tenant with `seats` seats and `count` users without licenses. */
    async function crowd(seats: number, count: number) {
      const fake = inMemoryDeps(new TestClock());
      await buySubscription(fake.deps, admin, { skuId: sku, seats, purchaseChannel: "Admin" });
      const users = Array.from({ length: count }, (_, i) => user(i + 1));
      for (let i = 0; i < users.length; i += 40) {
        await fake.records.commit(
          tenantId,
          users.slice(i, i + 40).map((u) => ({ kind: "createUser" as const, user: u })),
        );
      }
      fake.records.commits.length = 0;
      return { ...fake, users };
    }

    it("commits calls that arrive together in one transaction, refusing only the one without a seat", async () => {
      const { deps, records, published, users } = await crowd(3, 4);

      const answers = await Promise.allSettled(
        users.map((u) => assignLicense(deps, admin, u.id, add, commitNow)),
      );
      await deps.outbox.flush();

      expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "rejected"]);
      expect(answers[3]).toMatchObject({ reason: { code: "CountViolation" } });
      expect(records.commits).toHaveLength(1);
      expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(3);
      const licensed = users.slice(0, 3).map((u) => u.id);
      expect(await deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set(licensed));
      for (const [i, answer] of answers.slice(0, 3).entries()) {
        const stored = await deps.store.getUser(tenantId, licensed[i] ?? "");
        expect(answer).toMatchObject({ value: { etag: stored?.etag, user: { id: licensed[i] } } });
        expect(stored?.value.assignedLicenses.map((l) => l.skuId)).toEqual([sku]);
      }
      expect((await deps.store.getUser(tenantId, users[3]?.id ?? ""))?.value.assignedLicenses).toEqual([]);
      const audit = (await deps.store.listAudit(tenantId)).filter((r) => r.action === "assignLicense");
      expect(audit.map((r) => r.target).sort()).toEqual(licensed.map((id) => `user/${id}`).sort());
      expect(new Set(published.map((e) => e.subject))).toEqual(new Set(licensed.map((id) => `users/${id}`)));
    });

    it("applies a second call for the same user after the first", async () => {
      const { deps, users } = await crowd(2, 2);
      const [a, b] = users;
      if (!a || !b) throw new Error("no users");

      const answers = await Promise.all([
        assignLicense(deps, admin, a.id, add, commitNow),
        assignLicense(deps, admin, a.id, { addLicenses: [], removeLicenses: [sku] }, commitNow),
        assignLicense(deps, admin, b.id, add, commitNow),
      ]);

      expect(answers.map((r) => r.user.assignedLicenses.length)).toEqual([1, 0, 1]);
      expect((await deps.store.getUser(tenantId, a.id))?.value.assignedLicenses).toEqual([]);
      expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(1);
      expect(await deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set([b.id]));
    });

    it("spreads more calls than one transaction holds over as few transactions as fit", async () => {
      const { deps, records, users } = await crowd(40, 40);

      await Promise.all(users.map((u) => assignLicense(deps, admin, u.id, add, commitNow)));

      // Three actions a user (user, holder, audit), one outbox row for all their events and the
      // ledger: 32 users fit one transaction, the other 8 the next.
      expect(records.commits).toHaveLength(2);
      expect(records.commits.map((c) => c.writes.filter((w) => w.kind === "updateUser").length)).toEqual([
        32, 8,
      ]);
      expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(40);
      expect(await deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set(users.map((u) => u.id)));
    });

    it("retries the calls one by one when their shared transaction fails for another reason", async () => {
      const { deps, records, users } = await crowd(3, 3);
      const commit = records.commit.bind(records);
      let failed = 0;
      records.commit = async (id, writes) => {
        if (writes.filter((w) => w.kind === "updateUser").length > 1) {
          failed++;
          throw new Error("the table refused the transaction");
        }
        return commit(id, writes);
      };

      const answers = await Promise.allSettled(
        users.map((u) => assignLicense(deps, admin, u.id, add, commitNow)),
      );

      expect(failed).toBe(1);
      expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
      expect((await deps.store.getLedger(tenantId, sku))?.value.consumed).toBe(3);
    });
  });
});
