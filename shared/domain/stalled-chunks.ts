// The bulk watchdog's rules: when a chunk counts as stalled (its queue message lost, dead-lettered
// or expired), whether to send it again or give up, and what its users then report. Pure.
import type { BulkChunk, JobResult } from "./model.js";

export interface ChunkPolicy {
  /** A chunk not finished this long after it was last sent or progressed is stalled. */
  readonly timeoutMs: number;
  /** Times a stalled chunk is sent again before its remaining users fail. */
  readonly maxResends: number;
}

export type StalledChunkAction = "wait" | "resend" | "fail";

/** The code of a user whose chunk was never processed; retrying the job serves them. */
export const chunkNotProcessed = "ChunkNotProcessed";

export function stalledChunkAction(
  chunk: BulkChunk,
  jobCreatedAt: string,
  now: Date,
  policy: ChunkPolicy,
  /**
   * When any chunk of the job last made progress: while the worker is getting through the job, a
   * chunk still waiting its turn in the queue (a job of hundreds of chunks) is not stalled.
   */
  jobProgressedAt?: string,
): StalledChunkAction {
  if (chunk.completedAt) return "wait";
  // Chunks written before `updatedAt` existed start from the job's creation, as they were sent then.
  const since = Math.max(
    Date.parse(chunk.updatedAt ?? jobCreatedAt),
    jobProgressedAt ? Date.parse(jobProgressedAt) : 0,
  );
  if (now.getTime() - since < policy.timeoutMs) return "wait";
  return (chunk.resends ?? 0) < policy.maxResends ? "resend" : "fail";
}

/** When any of a job's chunks last made progress (processed users), if one has. */
export function lastProgressOf(chunks: readonly BulkChunk[]): string | undefined {
  return chunks
    .filter((chunk) => chunk.results.length > 0 && chunk.updatedAt)
    .map((chunk) => chunk.updatedAt ?? "")
    .sort()
    .at(-1);
}

/** The chunk sent again: one more resend counted, and the wait starting now. */
export function resentChunk(chunk: BulkChunk, now: string): BulkChunk {
  return { ...chunk, resends: (chunk.resends ?? 0) + 1, updatedAt: now };
}

const duration = (ms: number): string =>
  ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.round(ms / 1000)} seconds`;

/**
 * The chunk given up: every user it has not processed fails with ChunkNotProcessed. Its users'
 * changes commit with its progress, so these users were not changed and a retry serves them.
 */
export function abandonedChunk(chunk: BulkChunk, now: string, policy: ChunkPolicy): BulkChunk {
  const sends = (chunk.resends ?? 0) + 1;
  const detail =
    `Chunk ${chunk.index} of job ${chunk.jobId} was sent ${sends} times and not processed within ` +
    `${duration(policy.timeoutMs)} each time (its queue messages were lost or dead-lettered), so this ` +
    `user was not changed. Retry the job (POST /api/jobs/${chunk.jobId}/retry); if it happens again, ` +
    "check the worker's logs and the queue's dead-letter messages.";
  const failed: JobResult[] = chunk.userIds
    .slice(chunk.results.length)
    .map((userId) => ({ userId, outcome: "Failed", code: chunkNotProcessed, detail }));
  return { ...chunk, results: [...chunk.results, ...failed], completedAt: now, updatedAt: now };
}
