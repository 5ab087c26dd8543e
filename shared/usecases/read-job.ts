// GET /api/jobs/{jobId}: a job's progress summed over its chunks, and when it is done its per-user
// results, a page at a time.
import type { BulkJob, JobResult } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";

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
  const results = chunks.flatMap((c) => c.results);
  const succeeded = results.filter((r) => r.outcome === "Succeeded").length;
  const failed = results.length - succeeded;
  const done = chunks.length === job.chunkCount && chunks.every((c) => c.completedAt !== undefined);
  const status: JobStatus = !done
    ? results.length === 0
      ? "Queued"
      : "Running"
    : failed === 0
      ? "Succeeded"
      : succeeded === 0
        ? "Failed"
        : "PartiallySucceeded";
  if (!done) return { job, status, processed: results.length, succeeded, failed };
  const completedAt = chunks
    .map((c) => c.completedAt ?? "")
    .sort()
    .at(-1);
  const slice = results.slice(page.offset, page.offset + page.top);
  const next = page.offset + page.top;
  return {
    job,
    status,
    processed: results.length,
    succeeded,
    failed,
    ...(completedAt ? { completedAt } : {}),
    results: slice,
    ...(next < results.length ? { nextOffset: next } : {}),
  };
}
