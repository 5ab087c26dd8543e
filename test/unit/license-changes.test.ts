// The license-change pipeline with two processes on one storage, as Azure runs the app once it scales
// out: each has its own cache of users and ledgers, so what one process changed, the other's cache
// does not know. No answer may rest on that cache alone: a change answered done is in storage, and
// "nothing to do" is true of storage when it is answered.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bulkChange } from "../../shared/domain/bulk.js";
import type { Actor, User } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { adminAvailable } from "../../shared/domain/seats.js";
import { assignLicense } from "../../shared/usecases/assign-licenses.js";
import { assignProductUsers } from "../../shared/usecases/assign-product-users.js";
import { buySubscription } from "../../shared/usecases/buy-subscription.js";
import { changeSubscription } from "../../shared/usecases/change-subscription.js";
import { createUser } from "../../shared/usecases/create-user.js";
import { handleQueueMessage } from "../../shared/usecases/handle-queue-message.js";
import { changeLicenses } from "../../shared/usecases/license-changes/run.js";
import { processBulkChunk } from "../../shared/usecases/process-bulk-chunk.js";
import { submitBulkJob } from "../../shared/usecases/submit-bulk-job.js";
import { skus } from "../support/catalog-ids.js";
import { anotherProcess, type InMemoryWorld, inMemoryDeps } from "../support/in-memory-ports.js";
import { FrozenClock } from "../support/test-clock.js";

const tenantId = "11111111-1111-4111-8111-111111111111";
const admin: Actor = { tenantId, objectId: "admin", roles: ["GlobalAdministrator"] };
const sku = skus.businessBasic;
const other = skus.businessStandard;
const add = (skuId = sku) => ({ addLicenses: [{ skuId }], removeLicenses: [] });
const remove = (skuId = sku) => ({ addLicenses: [], removeLicenses: [skuId] });
const now = { dryRun: false };

/** Two processes A and B on one storage, with seats of two products. */
async function twoProcesses(seats = 5) {
  const clock = new FrozenClock("2024-03-01T12:00:00.000Z");
  const a = inMemoryDeps(clock);
  const b = anotherProcess(a, clock);
  for (const skuId of [sku, other]) {
    await buySubscription(a.deps, admin, { skuId, seats, purchaseChannel: "Admin" });
  }
  return { a, b };
}

async function newUser(w: InMemoryWorld, name: string): Promise<User> {
  const created = await createUser(w.deps, admin, {
    userPrincipalName: `${name}@contoso.example`,
    displayName: name,
    userType: "Member",
    mailboxType: "User",
    licenses: [],
  });
  return created.value;
}

/** The products the user holds, as stored (read fresh by the first process). */
async function held(w: InMemoryWorld, userId: string): Promise<string[]> {
  return (await w.records.getUser(tenantId, userId))?.value.assignedLicenses.map((l) => l.skuId) ?? [];
}

async function consumed(w: InMemoryWorld, skuId = sku): Promise<number | undefined> {
  return (await w.records.getLedger(tenantId, skuId))?.value.consumed;
}

describe("a change made through one process, then asked of the other", () => {
  it("removes a license that the other process assigned after this one cached the user", async () => {
    const { a, b } = await twoProcesses();
    const ada = await newUser(b, "ada"); // B caches Ada, unlicensed
    await assignLicense(a.deps, admin, ada.id, add(), now);

    const answer = await assignLicense(b.deps, admin, ada.id, remove(), now);

    expect(answer.changed).toBe(true);
    expect(answer.user.assignedLicenses).toEqual([]);
    expect(await held(a, ada.id)).toEqual([]);
    expect(await consumed(a)).toBe(0);
    expect(await a.records.listAllHolderIds(tenantId, sku)).toEqual(new Set());
  });

  it("assigns a license that the other process removed after this one cached the user holding it", async () => {
    const { a, b } = await twoProcesses();
    const ada = await newUser(a, "ada");
    await assignLicense(b.deps, admin, ada.id, add(), now); // B caches Ada, licensed
    await assignLicense(a.deps, admin, ada.id, remove(), now);

    const answer = await assignLicense(b.deps, admin, ada.id, add(), now);

    expect(answer.changed).toBe(true);
    expect(await held(a, ada.id)).toEqual([sku]);
    expect(await consumed(a)).toBe(1);
  });

  it("answers 'nothing to do' only when storage agrees, as its version shows", async () => {
    const { a, b } = await twoProcesses();
    const ada = await newUser(a, "ada");
    await assignLicense(a.deps, admin, ada.id, add(), now);
    await b.records.getUser(tenantId, ada.id); // B caches Ada, licensed and current

    const answer = await assignLicense(b.deps, admin, ada.id, add(), now);

    expect(answer.changed).toBe(false);
    expect(answer.etag).toBe((await a.records.getUser(tenantId, ada.id))?.etag);
  });

  it("answers every call of a group (as a $batch sends them) by what storage holds", async () => {
    const { a, b } = await twoProcesses();
    const users = [];
    for (const name of ["ada", "bob", "cyd", "dan"]) users.push(await newUser(b, name)); // B caches them
    for (const u of users) await assignLicense(a.deps, admin, u.id, add(), now);

    const answers = await Promise.all(users.map((u) => assignLicense(b.deps, admin, u.id, remove(), now)));

    expect(answers.map((r) => r.changed)).toEqual([true, true, true, true]);
    for (const u of users) expect(await held(a, u.id)).toEqual([]);
    expect(await consumed(a)).toBe(0);
  });

  it("removes through the product route what the other process assigned", async () => {
    const { a, b } = await twoProcesses();
    const ada = await newUser(b, "ada");
    const bob = await newUser(b, "bob");
    await assignProductUsers(a.deps, admin, { skuId: sku, userIds: [ada.id, bob.id], operation: "add" });

    const results = await assignProductUsers(b.deps, admin, {
      skuId: sku,
      userIds: [ada.id, bob.id],
      operation: "remove",
    });

    expect(results.map((r) => r.outcome)).toEqual(["Succeeded", "Succeeded"]);
    expect(await held(a, ada.id)).toEqual([]);
    expect(await held(a, bob.id)).toEqual([]);
    expect(await consumed(a)).toBe(0);
  });

  it("applies a producer's license.assignRequested removal that the other process's assignment preceded", async () => {
    const { a, b } = await twoProcesses();
    const ada = await newUser(b, "ada");
    await assignLicense(a.deps, admin, ada.id, add(), now);
    const event = {
      specversion: "1.0",
      id: "event-1",
      source: "/hr-system",
      type: "license.assignRequested",
      time: "2024-03-01T12:00:00.000Z",
      data: { tenantId, userId: ada.id, addLicenses: [], removeLicenses: [sku] },
    };

    const handled = await handleQueueMessage(b.deps, event);

    expect(handled.changed).toBe(true);
    expect(await held(a, ada.id)).toEqual([]);
    expect(await consumed(a)).toBe(0);
  });

  it("runs a bulk chunk's later rounds on what storage holds, not on the users read when the chunk began", async () => {
    const { a, b } = await twoProcesses(25);
    const users = [];
    for (let i = 0; i < 60; i++) users.push(await newUser(a, `user${String(i).padStart(2, "0")}`));
    const userIds = users.map((u) => u.id);
    const job = await submitBulkJob(
      b.deps,
      admin,
      { userIds, operation: "remove", licenses: [{ skuId: sku }], allowPartial: false },
      { dryRun: false },
    );
    if (job.kind !== "created") throw new Error("no job");
    // While B works through the chunk's first round, A licenses users of its second round: B read
    // them unlicensed when the chunk began.
    const late = userIds.slice(50, 55);
    const commit = b.records.commit.bind(b.records);
    let interfered = false;
    b.records.commit = async (id, writes) => {
      if (!interfered && writes.some((w) => w.kind === "putChunk")) {
        interfered = true;
        for (const userId of late) await assignLicense(a.deps, admin, userId, add(), now);
      }
      return commit(id, writes);
    };

    await processBulkChunk(b.deps, tenantId, job.jobId, 0);

    expect(interfered).toBe(true);
    for (const userId of late) expect(await held(a, userId)).toEqual([]);
    expect(await consumed(a)).toBe(0);
  });
});

describe("seats and answers under two processes interleaved (property)", () => {
  type Step =
    | { kind: "assign"; process: 0 | 1; user: number; skuId: string; op: "add" | "remove" }
    | { kind: "product"; process: 0 | 1; users: number[]; skuId: string; op: "add" | "remove" }
    | { kind: "seats"; process: 0 | 1; skuId: string; seats: number };

  const skuArb = fc.constantFrom(sku, other);
  const processArb = fc.constantFrom<0 | 1>(0, 1);
  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("assign" as const),
        process: processArb,
        user: fc.nat(4),
        skuId: skuArb,
        op: fc.constantFrom<"add" | "remove">("add", "remove"),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("product" as const),
        process: processArb,
        users: fc.uniqueArray(fc.nat(4), { minLength: 1, maxLength: 3 }),
        skuId: skuArb,
        op: fc.constantFrom<"add" | "remove">("add", "remove"),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("seats" as const),
        process: processArb,
        skuId: skuArb,
        seats: fc.integer({ min: 0, max: 4 }),
      }),
    },
  );

  /** Steps that run at once: a batch of one is sequential; larger ones interleave at every await. */
  const runArb = fc.array(fc.array(stepArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 });

  it("never sells a seat twice, keeps ledger, holders and users in step, and answers only what storage holds", async () => {
    await fc.assert(
      fc.asyncProperty(runArb, async (batches) => {
        const { a, b } = await twoProcesses(2);
        const worlds = [a, b] as const;
        const subscriptions = new Map(
          (await a.records.listSubscriptions(tenantId)).map((s) => [s.skuId, s.id] as const),
        );
        const users: User[] = [];
        for (let i = 0; i < 5; i++) users.push(await newUser(worlds[i % 2] as InMemoryWorld, `user${i}`));
        const id = (i: number) => users[i]?.id ?? "";

        for (const batch of batches) {
          // Steps on the same users at once may land in either order; only a batch's last word on
          // each user is checked against storage.
          const touched = batch.flatMap((s) =>
            s.kind === "assign" ? [s.user] : s.kind === "product" ? s.users : [],
          );
          const alone = (user: number) => touched.filter((u) => u === user).length === 1;
          const settled = await Promise.allSettled(
            batch.map((step): Promise<unknown> => {
              const { deps } = worlds[step.process];
              if (step.kind === "assign") {
                return assignLicense(
                  deps,
                  admin,
                  id(step.user),
                  step.op === "add" ? add(step.skuId) : remove(step.skuId),
                  now,
                );
              }
              if (step.kind === "product") {
                return assignProductUsers(deps, admin, {
                  skuId: step.skuId,
                  userIds: step.users.map(id),
                  operation: step.op,
                });
              }
              return changeSubscription(deps, admin, subscriptions.get(step.skuId) ?? "", {
                kind: "update",
                seats: step.seats,
              });
            }),
          );
          for (const [i, step] of batch.entries()) {
            const result = settled[i];
            if (result?.status === "rejected") {
              expect(result.reason).toBeInstanceOf(ProblemError);
              expect(["CountViolation", "SeatsBelowAssigned"]).toContain(
                (result.reason as ProblemError).code,
              );
              continue;
            }
            // What was answered done is in storage, unless another step of the batch touched the user.
            const expectHeld = async (user: number, skuId: string, op: "add" | "remove") => {
              if (!alone(user)) return;
              expect((await held(a, id(user))).includes(skuId)).toBe(op === "add");
            };
            if (step.kind === "assign") await expectHeld(step.user, step.skuId, step.op);
            if (step.kind === "product") {
              const results = result?.value as { outcome: string }[];
              for (const [j, user] of step.users.entries()) {
                if (results[j]?.outcome !== "Failed") await expectHeld(user, step.skuId, step.op);
              }
            }
          }
          for (const skuId of [sku, other]) {
            const ledger = (await a.records.getLedger(tenantId, skuId))?.value;
            if (!ledger) throw new Error("no ledger");
            const holders = await a.records.listAllHolderIds(tenantId, skuId);
            const holding = [];
            for (const u of users) if ((await held(a, u.id)).includes(skuId)) holding.push(u.id);
            expect(adminAvailable(ledger)).toBeGreaterThanOrEqual(0);
            expect(ledger.consumed).toBe(holding.length);
            expect(holders).toEqual(new Set(holding));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("the pipeline's round", () => {
  it("decides bulk requests against what each user holds, in order, until seats run out", async () => {
    const { a } = await twoProcesses(2);
    const users = [];
    for (const name of ["ada", "bob", "cyd"]) users.push(await newUser(a, name));
    const request = { operation: "add", licenses: [{ skuId: sku }], allowPartial: true } as const;

    const outcomes = await changeLicenses(
      a.deps,
      tenantId,
      users.map((u) => ({
        userId: u.id,
        actor: admin,
        mayLicenseGuests: true,
        wanted: (user: User) => bulkChange(user, request),
      })),
      {
        audit: { per: "transaction", action: "test", target: "test" },
        events: "batched",
        provision: "withdraw",
      },
    );

    expect(outcomes.map((o) => (o.ok ? "ok" : o.error.code))).toEqual(["ok", "ok", "CountViolation"]);
    expect(a.records.commits.at(-1)?.writes.filter((w) => w.kind === "putLedger")).toHaveLength(1);
    expect(await consumed(a)).toBe(2);
  });
});
