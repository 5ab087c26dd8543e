// watchBulkJobs against in-memory ports: a stalled chunk is sent again, then failed, so no job stays
// Running forever; a worker that moved the chunk meanwhile wins.
import { describe, expect, it } from "vitest";
import { chunkNotProcessed } from "../../../shared/domain/stalled-chunks.js";
import { readJob } from "../../../shared/usecases/read-job.js";
import { submitBulkJob } from "../../../shared/usecases/submit-bulk-job.js";
import { watchBulkJobs } from "../../../shared/usecases/watch-bulk-jobs.js";
import { skus } from "../../support/catalog-ids.js";
import { minutes } from "../../support/test-clock.js";
import { addUser, admin, buySeats, tenantId, type World, world } from "./fixture.js";

const sku = skus.businessBasic;

/** A job of two users whose chunk message was lost: nobody processes it. */
async function stalledJob() {
  const w = world();
  await buySeats(w, sku, 2);
  const users = [(await addUser(w, "ada")).id, (await addUser(w, "bob")).id];
  const result = await submitBulkJob(
    w.deps,
    admin,
    { userIds: users, operation: "add", licenses: [{ skuId: sku }], allowPartial: false },
    { dryRun: false },
  );
  if (result.kind !== "created") throw new Error("no job");
  await w.deps.outbox.flush();
  w.published.length = 0;
  return { w, jobId: result.jobId, users };
}

const chunkOf = async (w: World, jobId: string) => (await w.deps.store.getChunk(tenantId, jobId, 0))?.value;

describe("watchBulkJobs", () => {
  it("leaves a chunk alone within its timeout", async () => {
    const { w, jobId } = await stalledJob();
    w.clock.advance(minutes(0.5));

    expect(await watchBulkJobs(w.deps)).toEqual({ jobs: 1, resent: 0, failed: 0, finished: 0 });
    expect((await chunkOf(w, jobId))?.resends).toBeUndefined();
  });

  it("sends a stalled chunk again, counting the resend", async () => {
    const { w, jobId } = await stalledJob();
    w.clock.advance(minutes(1));

    expect(await watchBulkJobs(w.deps)).toMatchObject({ resent: 1, failed: 0 });
    await w.deps.outbox.flush();

    expect((await chunkOf(w, jobId))?.resends).toBe(1);
    expect(w.published.map((e) => [e.type, e.data])).toEqual([
      ["bulk.chunkRequested", { tenantId, jobId, chunk: 0 }],
    ]);
  });

  it("after maxResends fails the chunk's users with ChunkNotProcessed and drops the job from the index", async () => {
    const { w, jobId, users } = await stalledJob();
    for (let i = 0; i < w.deps.chunkPolicy.maxResends; i++) {
      w.clock.advance(minutes(1));
      expect((await watchBulkJobs(w.deps)).resent).toBe(1);
    }
    w.clock.advance(minutes(1));

    expect(await watchBulkJobs(w.deps)).toMatchObject({ resent: 0, failed: 1, finished: 1 });

    const view = await readJob(w.deps, tenantId, jobId);
    expect(view.status).toBe("Failed");
    expect(view.results?.map((r) => [r.userId, r.code])).toEqual(users.map((id) => [id, chunkNotProcessed]));
    expect(await w.unfinishedJobs.list(10)).toEqual([]);
  });

  it("lets a worker that moved the chunk meanwhile win: the watchdog's write loses and it waits", async () => {
    const { w, jobId } = await stalledJob();
    w.clock.advance(minutes(1));
    const commit = w.records.commit.bind(w.records);
    w.records.commit = async (id, writes) => {
      const found = await w.records.getChunk(tenantId, jobId, 0);
      if (!found) throw new Error("no chunk");
      await w.records.commitElsewhere(id, [
        {
          kind: "putChunk",
          chunk: { ...found.value, updatedAt: w.clock.now().toISOString() },
          etag: found.etag,
        },
      ]);
      w.records.commit = commit;
      return commit(id, writes);
    };

    expect(await watchBulkJobs(w.deps)).toMatchObject({ resent: 0, failed: 0 });
    expect((await chunkOf(w, jobId))?.resends).toBeUndefined();
  });

  it("drops an index entry whose job never came once it is old, and keeps a young one", async () => {
    const w = world();
    const entry = { tenantId, jobId: "never-created", createdAt: w.clock.now().toISOString() };
    await w.unfinishedJobs.add(entry);

    expect((await watchBulkJobs(w.deps)).finished).toBe(0);
    w.clock.advance(minutes(1));
    expect((await watchBulkJobs(w.deps)).finished).toBe(1);
    expect(await w.unfinishedJobs.list(10)).toEqual([]);
  });
});
