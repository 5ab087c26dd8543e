// POST /api/jobs/{jobId}/retry: a new job for the users that failed.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import type { Representation } from "../shared/http/representations.js";
import type { jobAccepted } from "../shared/http/response-schemas.js";
import { routes } from "../shared/http/routes.js";
import { retryBulkJob } from "../shared/usecases/retry-bulk-job.js";

export const retryJob = httpFunction(routes.retryJob, async ({ deps, actor, param }) => {
  const result = await retryBulkJob(deps, actor, param("jobId"));
  if (result.kind === "preview") throw new Error("a retry is never a preview");
  const accepted = { jobId: result.jobId } satisfies Representation<typeof jobAccepted>;
  return jsonResponse(202, accepted, { location: `/api/jobs/${result.jobId}` });
});
