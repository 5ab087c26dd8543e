// submitBulkJob and processBulkChunk against in-memory ports (R10): seats checked up front, the job
// and its chunks recorded with one message per chunk, and each chunk applied once however often
// it is delivered.
import { describe, expect, it } from "vitest";
import { processBulkChunk } from "../../../shared/usecases/process-bulk-chunk.js";
import { readJob } from "../../../shared/usecases/read-job.js";
import { chunkSize, submitBulkJob } from "../../../shared/usecases/submit-bulk-job.js";
import { skus } from "../../support/catalog-ids.js";
import {
  addUser,
  admin,
  buySeats,
  clearCommits,
  consumed,
  expectProblem,
  tenantId,
  type World,
  world,
} from "./fixture.js";

const sku = skus.businessBasic;

async function usersOf(w: World, count: number, licenses: readonly string[] = []): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await addUser(w, `user${i}`, licenses)).id);
  return ids;
}

const add = (userIds: readonly string[]) => ({
  userIds,
  operation: "add" as const,
  licenses: [{ skuId: sku }],
  allowPartial: false,
});

async function submitted(w: World, userIds: readonly string[]): Promise<string> {
  const result = await submitBulkJob(w.deps, admin, add(userIds), { dryRun: false });
  if (result.kind !== "created") throw new Error(`not created: ${result.kind}`);
  return result.jobId;
}

describe("submitBulkJob", () => {
  it("records the job and its chunks, sends one chunkRequested per chunk, and enters it in the watchdog's index", async () => {
    const w = world();
    await buySeats(w, sku, 300);
    const users = await usersOf(w, chunkSize + 1);
    w.published.length = 0;

    const jobId = await submitted(w, users);
    await w.deps.outbox.flush();

    const chunks = await w.deps.store.listChunks(tenantId, jobId);
    expect(chunks.map((c) => c.userIds.length)).toEqual([chunkSize, 1]);
    expect(w.published.filter((e) => e.type === "bulk.chunkRequested").map((e) => e.data)).toEqual([
      { tenantId, jobId, chunk: 0 },
      { tenantId, jobId, chunk: 1 },
    ]);
    expect(await w.unfinishedJobs.list(10)).toEqual([
      { tenantId, jobId, createdAt: "2024-03-01T12:00:00.000Z" },
    ]);
    expect((await readJob(w.deps, tenantId, jobId)).status).toBe("Queued");
  });

  it("refuses up front when seats are short and allowPartial is off, recording no job", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const users = await usersOf(w, 2);
    clearCommits(w);

    await expectProblem(submitBulkJob(w.deps, admin, add(users), { dryRun: false }), "CountViolation");

    expect(w.records.commits).toEqual([]);
    expect(await w.unfinishedJobs.list(10)).toEqual([]);
  });

  it("answers a repeated Idempotency-Key with the first job, and refuses it for a different request", async () => {
    const w = world();
    await buySeats(w, sku, 5);
    const users = await usersOf(w, 2);
    const options = { dryRun: false, idempotencyKey: "key-1" };

    const first = await submitBulkJob(w.deps, admin, add(users), options);
    const again = await submitBulkJob(w.deps, admin, add(users), options);

    expect(again).toEqual({ kind: "existing", jobId: first.kind === "created" ? first.jobId : "" });
    await expectProblem(submitBulkJob(w.deps, admin, add(users.slice(0, 1)), options), "Conflict");
  });
});

describe("processBulkChunk", () => {
  it("applies a chunk's users and completes the job", async () => {
    const w = world();
    await buySeats(w, sku, 3);
    const users = await usersOf(w, 3);
    const jobId = await submitted(w, users);

    expect(await processBulkChunk(w.deps, tenantId, jobId, 0)).toBe(true);

    expect(await consumed(w, sku)).toBe(3);
    const view = await readJob(w.deps, tenantId, jobId);
    expect(view).toMatchObject({ status: "Succeeded", succeeded: 3, failed: 0 });
  });

  it("applies a chunk delivered twice once: the second delivery changes nothing", async () => {
    const w = world();
    await buySeats(w, sku, 3);
    const users = await usersOf(w, 3);
    const jobId = await submitted(w, users);
    await processBulkChunk(w.deps, tenantId, jobId, 0);
    clearCommits(w);

    expect(await processBulkChunk(w.deps, tenantId, jobId, 0)).toBe(false);

    expect(w.records.commits).toEqual([]);
    expect(await consumed(w, sku)).toBe(3);
  });

  it("applies a chunk delivered twice at once once: each user is counted one seat", async () => {
    const w = world();
    await buySeats(w, sku, 100);
    const users = await usersOf(w, 60);
    const jobId = await submitted(w, users);

    const outcomes = await Promise.all([
      processBulkChunk(w.deps, tenantId, jobId, 0),
      processBulkChunk(w.deps, tenantId, jobId, 0),
    ]);

    expect(outcomes).toContain(true);
    expect(await consumed(w, sku)).toBe(60);
    const [chunk] = await w.deps.store.listChunks(tenantId, jobId);
    expect(chunk?.results.map((r) => r.userId).sort()).toEqual([...users].sort());
    expect(await w.deps.store.listAllHolderIds(tenantId, sku)).toHaveProperty("size", 60);
  });

  it("cuts a group of users holding many licenses to what fits one transaction", async () => {
    const w = world();
    const held = [skus.businessBasic, skus.appsForBusiness, skus.exchangePlan1];
    for (const skuId of held) await buySeats(w, skuId, 45);
    const users = await usersOf(w, 45, held);
    const result = await submitBulkJob(
      w.deps,
      admin,
      { userIds: users, operation: "removeAll", licenses: [], allowPartial: true },
      { dryRun: false },
    );
    if (result.kind !== "created") throw new Error("no job");
    clearCommits(w);

    await processBulkChunk(w.deps, tenantId, result.jobId, 0);

    expect(w.records.commits.length).toBeGreaterThan(1);
    for (const skuId of held) expect(await consumed(w, skuId)).toBe(0);
    expect((await readJob(w.deps, tenantId, result.jobId)).status).toBe("Succeeded");
  });

  it("re-checks a seat refusal made on a cached ledger against fresh counts", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    await addUser(w, "ada", [sku]);
    const bob = await addUser(w, "bob");
    const job = await submitBulkJob(
      w.deps,
      admin,
      { ...add([bob.id]), allowPartial: true },
      { dryRun: false },
    );
    if (job.kind !== "created") throw new Error("no job");
    // Another instance buys a seat: this process's cached ledger still says none is free.
    const ledger = await w.records.getLedger(tenantId, sku);
    if (!ledger) throw new Error("no ledger");
    await w.records.commitElsewhere(tenantId, [
      { kind: "putLedger", ledger: { ...ledger.value, enabledAdmin: 2 }, etag: ledger.etag },
    ]);

    await processBulkChunk(w.deps, tenantId, job.jobId, 0);

    expect((await readJob(w.deps, tenantId, job.jobId)).status).toBe("Succeeded");
    expect(await consumed(w, sku)).toBe(2);
  });
});
