// POST /api/jobs/{jobId}/retry: a new job for only the users that failed in a finished job.
import type { Actor } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { readJob } from "./read-job.js";
import { type SubmitResult, submitBulkJob } from "./submit-bulk-job.js";

export async function retryBulkJob(deps: Deps, actor: Actor, jobId: string): Promise<SubmitResult> {
  const view = await readJob(deps, actor.tenantId, jobId, { top: Number.MAX_SAFE_INTEGER, offset: 0 });
  if (!view.results) {
    throw new ProblemError(
      "Conflict",
      `Job ${jobId} is still ${view.status}; retry it once it has finished.`,
    );
  }
  const failed = view.results.filter((r) => r.outcome === "Failed").map((r) => r.userId);
  if (failed.length === 0) throw new ProblemError("Conflict", `Job ${jobId} has no failed users to retry.`);
  const { job } = view;
  if (job.operation === "inherit") {
    throw new ProblemError(
      "Conflict",
      `Job ${jobId} gives a group's licenses to its members; reprocess the members in error instead ` +
        "(POST /users/{id}/reprocessLicenseAssignment), or let freed seats reach them.",
    );
  }
  return submitBulkJob(
    deps,
    actor,
    { userIds: failed, operation: job.operation, licenses: job.licenses, allowPartial: job.allowPartial },
    { dryRun: false, retryOf: jobId },
  );
}
