// The bulk watchdog: no job stays Running forever. It reads the index of unfinished jobs (never every
// tenant), sends a chunk that stalled (its message lost, dead-lettered or expired) again through the
// outbox, and after `maxResends` fails the chunk's remaining users with ChunkNotProcessed, so the job
// ends and can be retried. Each write is guarded by the chunk's ETag: a worker that moved the chunk
// meanwhile wins, and a chunk delivered twice still applies each user once.

import { mapLimit } from "../concurrency/map-limit.js";
import { cloudEvent } from "../domain/events.js";
import type { BulkChunk, BulkJob } from "../domain/model.js";
import { abandonedChunk, lastProgressOf, resentChunk, stalledChunkAction } from "../domain/stalled-chunks.js";
import type { Deps } from "./deps.js";
import { ConcurrencyConflict, type UnfinishedJob } from "./ports.js";

export interface WatchdogResult {
  /** Unfinished jobs looked at. */
  readonly jobs: number;
  /** Chunks sent again. */
  readonly resent: number;
  /** Chunks given up, their remaining users failed. */
  readonly failed: number;
  /** Jobs found finished (or never created) and dropped from the index. */
  readonly finished: number;
}

type ChunkOutcome = "waiting" | "resent" | "failed" | "done";

export async function watchBulkJobs(
  deps: Deps,
  options: { readonly maxJobs?: number } = {},
): Promise<WatchdogResult> {
  const { store, unfinishedJobs, clock, chunkPolicy } = deps;
  const now = clock.now();
  const entries = await unfinishedJobs.list(options.maxJobs ?? 1000);
  let resent = 0;
  let failed = 0;
  let finished = 0;

  const watchChunk = async (
    entry: UnfinishedJob,
    job: BulkJob,
    listed: BulkChunk,
    progressed: string | undefined,
  ): Promise<ChunkOutcome> => {
    if (listed.completedAt) return "done";
    if (stalledChunkAction(listed, job.createdAt, now, chunkPolicy, progressed) === "wait") return "waiting";
    // Decided again on the chunk as read with its ETag: the write below holds only if nothing moved.
    const found = await store.getChunk(entry.tenantId, job.id, listed.index);
    if (!found || found.value.completedAt) return "done";
    const action = stalledChunkAction(found.value, job.createdAt, now, chunkPolicy, progressed);
    const nowIso = now.toISOString();
    try {
      if (action === "resend") {
        const event = cloudEvent("bulk.chunkRequested", deps.newId(), nowIso, `jobs/${job.id}`, {
          tenantId: entry.tenantId,
          jobId: job.id,
          chunk: listed.index,
        });
        await deps.outbox.commit(
          entry.tenantId,
          [{ kind: "putChunk", chunk: resentChunk(found.value, nowIso), etag: found.etag }],
          [event],
        );
        deps.logger.warn("bulk chunk stalled; sent again", {
          tenantId: entry.tenantId,
          jobId: job.id,
          chunk: listed.index,
          resends: (found.value.resends ?? 0) + 1,
        });
        return "resent";
      }
      if (action === "fail") {
        const chunk = abandonedChunk(found.value, nowIso, chunkPolicy);
        await store.commit(entry.tenantId, [{ kind: "putChunk", chunk, etag: found.etag }]);
        deps.logger.warn("bulk chunk never processed; its remaining users failed", {
          tenantId: entry.tenantId,
          jobId: job.id,
          chunk: listed.index,
          users: chunk.results.length - found.value.results.length,
        });
        return "failed";
      }
      return "waiting";
    } catch (error) {
      // A worker moved the chunk meanwhile: it is alive, and the next run looks again.
      if (error instanceof ConcurrencyConflict) return "waiting";
      throw error;
    }
  };

  const watchJob = async (entry: UnfinishedJob): Promise<void> => {
    const job = await store.getJob(entry.tenantId, entry.jobId);
    if (!job) {
      // Its entry is written before the job's commit: only an old one names a job that never came.
      if (now.getTime() - Date.parse(entry.createdAt) >= chunkPolicy.timeoutMs) {
        await unfinishedJobs.remove(entry);
        finished++;
      }
      return;
    }
    const chunks = await store.listChunks(entry.tenantId, job.id);
    const progressed = lastProgressOf(chunks);
    const outcomes = await mapLimit(chunks, 4, (chunk) => watchChunk(entry, job, chunk, progressed));
    resent += outcomes.filter((o) => o === "resent").length;
    failed += outcomes.filter((o) => o === "failed").length;
    if (chunks.length === job.chunkCount && outcomes.every((o) => o === "done" || o === "failed")) {
      await unfinishedJobs.remove(entry);
      finished++;
    }
  };

  await mapLimit(entries, 8, watchJob);
  return { jobs: entries.length, resent, failed, finished };
}
