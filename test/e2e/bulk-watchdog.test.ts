// The bulk watchdog: a chunk whose queue message was lost is sent again, a chunk lost every time
// ends with its users failed (so the job ends and can be retried), and a slow chunk is left alone.
// A publisher wrapper plays the broker that loses messages; a test clock stands in for the wait.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { functions } from "../../functions/registry.js";
import { type RunningTriggers, startTriggers } from "../../local/triggers.js";
import { bindingSettings } from "../../shared/config.js";
import type { CloudEvent } from "../../shared/domain/events.js";
import type { Deps, EventPublisher } from "../../shared/usecases/deps.js";
import { groupSize, processBulkChunk } from "../../shared/usecases/process-bulk-chunk.js";
import { chunkSize } from "../../shared/usecases/submit-bulk-job.js";
import { watchBulkJobs } from "../../shared/usecases/watch-bulk-jobs.js";
import { skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";
import { minutes, TestClock } from "../support/test-clock.js";

const clock = new TestClock();
let app: TestApp;
let worker: RunningTriggers | undefined;
let realPublisher: EventPublisher | undefined;

/** Chunk events to lose, per `tenant/chunk`: how many more (Infinity: every one). */
const losing = new Map<string, number>();
/** The events lost, as the broker would have had them. */
const lost: CloudEvent[] = [];
const chunkOf = (event: CloudEvent) => event.data as { tenantId: string; jobId: string; chunk: number };

const losingPublisher = (real: EventPublisher): EventPublisher => {
  realPublisher = real;
  return {
    publish: (events) =>
      real.publish(
        events.filter((event) => {
          if (event.type !== "bulk.chunkRequested") return true;
          const { tenantId, chunk } = chunkOf(event);
          const left = losing.get(`${tenantId}/${chunk}`) ?? 0;
          if (left <= 0) return true;
          losing.set(`${tenantId}/${chunk}`, left - 1);
          lost.push(event);
          return false;
        }),
      ),
  };
};

beforeAll(async () => {
  app = await startTestApp({
    clock,
    publisher: losingPublisher,
    triggers: false,
    env: { BULK_CHUNK_TIMEOUT: "PT5M", BULK_CHUNK_RESENDS: "3" },
  });
  // Only the queue worker: the timers would run on the real clock's minutes, not the test's.
  const settings = bindingSettings(app.services.config);
  worker = startTriggers({
    functions: functions.filter((f) => f.kind === "serviceBusQueue"),
    serviceBus: app.services.serviceBus,
    setting: (name) => settings[name],
  });
});
afterAll(async () => {
  await worker?.close();
  await app?.close();
});

type Tenant = Awaited<ReturnType<typeof newTenant>>;
interface Job {
  jobId: string;
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  results?: { userId: string; outcome: string; code?: string; detail?: string }[];
}

async function users(t: Tenant, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(Array.from({ length: Math.min(10, count - i) }, () => t.user()));
    ids.push(...batch.map((u) => u.id));
  }
  return ids;
}

async function submitAdd(t: Tenant, userIds: readonly string[]): Promise<string> {
  const accepted = await t.call<{ jobId: string }>("POST", "/api/licenses/bulk", {
    userIds,
    operation: "add",
    licenses: [{ skuId: skus.businessBasic }],
  });
  expect(accepted.status).toBe(202);
  return accepted.body.jobId;
}

const readJob = async (t: Tenant, jobId: string) =>
  (await t.call<Job>("GET", `/api/jobs/${jobId}?top=1000`)).body;
const finished = (t: Tenant, jobId: string) =>
  eventually(
    () => readJob(t, jobId),
    (job) => ["Succeeded", "PartiallySucceeded", "Failed"].includes(job.status),
    { timeoutMs: 30_000 },
  );
const lostOf = (jobId: string) => lost.filter((e) => chunkOf(e).jobId === jobId);
const waitUntilLost = (jobId: string, count: number) =>
  eventually(
    async () => lostOf(jobId).length,
    (n) => n >= count,
  );

/** Messages left on the app's queue and its dead-letter queue. */
async function queueCounts(): Promise<{ active: number; deadLettered: number }> {
  const { serviceBus, config } = app.services;
  const active = serviceBus.createReceiver(config.provisioningQueue);
  const dead = serviceBus.createReceiver(config.provisioningQueue, { subQueueType: "deadLetter" });
  try {
    return {
      active: (await active.peekMessages(10)).length,
      deadLettered: (await dead.peekMessages(10)).length,
    };
  } finally {
    await Promise.all([active.close(), dead.close()]);
  }
}

/** How many times bulk work changed each user, from the audit (one line per transaction). */
async function appliedPerUser(deps: Deps, tenantId: string): Promise<Map<string, number>> {
  const perUser = new Map<string, number>();
  for (const record of (await deps.store.listAudit(tenantId)).filter((a) => a.action === "bulk:add")) {
    for (const { userId } of record.after as { userId: string }[])
      perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
  }
  return perUser;
}

describe("the bulk watchdog", () => {
  it("sends a lost chunk again, and the job succeeds with every user applied once", async () => {
    const { deps } = app.services;
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 40);
    const ids = await users(t, 30);
    losing.set(`${t.tenantId}/0`, 1);
    const jobId = await submitAdd(t, ids);
    await waitUntilLost(jobId, 1);
    expect((await readJob(t, jobId)).status).toBe("Queued");

    clock.advance(minutes(6));
    const run = await watchBulkJobs(deps);
    expect(run.resent).toBe(1);
    // The first message turns up after all (it was only late): both deliveries race for the chunk.
    await realPublisher?.publish(lostOf(jobId));

    const job = await finished(t, jobId);
    expect(job).toMatchObject({ status: "Succeeded", total: 30, succeeded: 30, failed: 0 });
    const perUser = await appliedPerUser(deps, t.tenantId);
    expect(perUser.size).toBe(30);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
    expect(await t.sku(skus.businessBasic)).toMatchObject({ consumedUnits: 30, availableUnits: 10 });
    expect((await deps.store.getChunk(t.tenantId, jobId, 0))?.value.resends).toBe(1);
    // Both deliveries were completed, neither dead-lettered.
    await eventually(queueCounts, (c) => c.active === 0 && c.deadLettered === 0);

    // The next run finds the job finished and drops it from the index of unfinished jobs.
    clock.advance(minutes(6));
    expect((await watchBulkJobs(deps)).resent).toBe(0);
    expect((await deps.unfinishedJobs.list(1000)).some((e) => e.jobId === jobId)).toBe(false);
  });

  it("fails a chunk lost every time with ChunkNotProcessed after its resends, and the retry succeeds", async () => {
    const { deps } = app.services;
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, chunkSize + 5);
    const ids = await users(t, chunkSize + 5);
    losing.set(`${t.tenantId}/1`, Number.POSITIVE_INFINITY);
    const jobId = await submitAdd(t, ids);
    await eventually(
      () => readJob(t, jobId),
      (job) => job.processed === chunkSize,
      { timeoutMs: 30_000 },
    );

    for (let resends = 1; resends <= 3; resends++) {
      clock.advance(minutes(6));
      await watchBulkJobs(deps);
      await waitUntilLost(jobId, 1 + resends);
      expect((await deps.store.getChunk(t.tenantId, jobId, 1))?.value.resends).toBe(resends);
      expect((await readJob(t, jobId)).status).toBe("Running");
    }
    clock.advance(minutes(6));
    const run = await watchBulkJobs(deps);
    expect(run.failed).toBe(1);

    const job = await readJob(t, jobId);
    expect(job).toMatchObject({
      status: "PartiallySucceeded",
      total: chunkSize + 5,
      succeeded: chunkSize,
      failed: 5,
    });
    const failures = job.results?.filter((r) => r.outcome === "Failed") ?? [];
    expect(failures.every((r) => r.code === "ChunkNotProcessed")).toBe(true);
    expect(failures[0]?.detail).toMatch(/retry the job/i);
    expect(lostOf(jobId)).toHaveLength(4);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(chunkSize);

    losing.delete(`${t.tenantId}/1`);
    const retry = await t.call<{ jobId: string }>("POST", `/api/jobs/${jobId}/retry`);
    expect(retry.status).toBe(202);
    const retried = await finished(t, retry.body.jobId);
    expect(retried).toMatchObject({ status: "Succeeded", total: 5, succeeded: 5 });
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(chunkSize + 5);
    const perUser = await appliedPerUser(deps, t.tenantId);
    expect(perUser.size).toBe(chunkSize + 5);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it("drops an index row whose job never committed once it is older than the bound, not before", async () => {
    const { deps } = app.services;
    const orphan = { tenantId: randomUUID(), jobId: randomUUID(), createdAt: clock.now().toISOString() };
    await deps.unfinishedJobs.add(orphan);
    const listed = async () => (await deps.unfinishedJobs.list(1000)).some((e) => e.jobId === orphan.jobId);

    clock.advance(minutes(1)); // its job's commit may still be under way
    await watchBulkJobs(deps);
    expect(await listed()).toBe(true);
    clock.advance(minutes(5));
    await watchBulkJobs(deps);
    expect(await listed()).toBe(false);
  });

  it("leaves a chunk alone while it is within the bound since it was sent or last progressed", async () => {
    const { deps } = app.services;
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 60);
    const ids = await users(t, 60);
    losing.set(`${t.tenantId}/0`, 1);
    const jobId = await submitAdd(t, ids);
    await waitUntilLost(jobId, 1);
    expect((await deps.unfinishedJobs.list(1000)).some((e) => e.jobId === jobId)).toBe(true);

    clock.advance(minutes(4));
    expect(await watchBulkJobs(deps)).toMatchObject({ resent: 0, failed: 0 });
    expect((await readJob(t, jobId)).status).toBe("Queued");

    // A worker picks the chunk up, commits its first group, and dies: the chunk progressed.
    let commits = 0;
    const dying = Object.create(deps.outbox) as typeof deps.outbox;
    dying.commit = async (...args) => {
      if (++commits > 1) throw new Error("worker killed");
      return deps.outbox.commit(...args);
    };
    await expect(processBulkChunk({ ...deps, outbox: dying }, t.tenantId, jobId, 0)).rejects.toThrow(
      "worker killed",
    );
    clock.advance(minutes(4)); // 8 minutes since it was sent, 4 since it progressed
    expect(await watchBulkJobs(deps)).toMatchObject({ resent: 0, failed: 0 });
    expect(await readJob(t, jobId)).toMatchObject({ status: "Running", processed: groupSize });
    expect((await deps.store.getChunk(t.tenantId, jobId, 0))?.value.resends).toBeUndefined();

    clock.advance(minutes(2)); // 6 minutes since it progressed: stalled
    expect((await watchBulkJobs(deps)).resent).toBe(1);
    const job = await finished(t, jobId);
    expect(job).toMatchObject({ status: "Succeeded", succeeded: 60 });
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(60);
    expect([...(await appliedPerUser(deps, t.tenantId)).values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
