// GET /api/jobs/{jobId}: a job's progress summed over its chunks, and when it is done its per-user
// results, a page at a time.
import { chunkProgress } from "../domain/bulk.js";
import type { BulkJob, JobResult } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { ChunkProgress } from "./ports.js";

export type JobStatus = "Queued" | "Running" | "Succeeded" | "PartiallySucceeded" | "Failed";

export interface JobView {
  readonly job: BulkJob;
  readonly status: JobStatus;
  readonly processed: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly completedAt?: string;
  /** When done: the requested page of results, and the offset of the next page if any. */
  readonly results?: readonly JobResult[];
  readonly nextOffset?: number;
}

export async function readJob(
  deps: Deps,
  tenantId: string,
  jobId: string,
  page: { readonly top: number; readonly offset: number } = { top: 1000, offset: 0 },
): Promise<JobView> {
  const job = await deps.store.getJob(tenantId, jobId);
  if (!job) throw notFound(`Job ${jobId}`);
  const chunks = await deps.store.listChunks(tenantId, jobId);
  const summary = jobSummary(job, chunks.map(chunkProgress));
  if (summary.status === "Queued" || summary.status === "Running") return summary;
  const results = chunks.flatMap((c) => c.results);
  const slice = results.slice(page.offset, page.offset + page.top);
  const next = page.offset + page.top;
  return { ...summary, results: slice, ...(next < results.length ? { nextOffset: next } : {}) };
}

/** A job's status and counts from its chunks' progress; completedAt once every chunk is done. */
export function jobSummary(job: BulkJob, progress: readonly ChunkProgress[]): JobView {
  const processed = progress.reduce((sum, c) => sum + c.processed, 0);
  const failed = progress.reduce((sum, c) => sum + c.failed, 0);
  const succeeded = processed - failed;
  const done = progress.length === job.chunkCount && progress.every((c) => c.completedAt !== undefined);
  const status: JobStatus = !done
    ? processed === 0
      ? "Queued"
      : "Running"
    : failed === 0
      ? "Succeeded"
      : succeeded === 0
        ? "Failed"
        : "PartiallySucceeded";
  if (!done) return { job, status, processed, succeeded, failed };
  const completedAt = progress
    .map((c) => c.completedAt ?? "")
    .sort()
    .at(-1);
  return { job, status, processed, succeeded, failed, ...(completedAt ? { completedAt } : {}) };
}

/** The tenant's most recent jobs, newest first, each with its progress (not its results). */
export async function listRecentJobs(deps: Deps, tenantId: string, top: number): Promise<JobView[]> {
  const jobs = (await deps.store.listJobs(tenantId))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .slice(0, top);
  return Promise.all(
    jobs.map(async (job) => jobSummary(job, await deps.store.listChunkProgress(tenantId, job))),
  );
}
