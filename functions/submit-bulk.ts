// POST /api/licenses/bulk: start a bulk job (202 + Location), or preview it with ?dryRun=true.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import type { Representation } from "../shared/http/representations.js";
import type { bulkPreviewResponse, jobAccepted } from "../shared/http/response-schemas.js";
import { routes } from "../shared/http/routes.js";
import { submitBulkJob } from "../shared/usecases/submit-bulk-job.js";

export const submitBulk = httpFunction(routes.submitBulk, async ({ deps, actor, body, query, headers }) => {
  const idempotencyKey = headers["Idempotency-Key"];
  const result = await submitBulkJob(deps, actor, body, {
    dryRun: query.dryRun === true,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
  if (result.kind === "preview")
    return jsonResponse(200, {
      dryRun: true,
      seats: result.seats,
      users: result.users,
    } satisfies Representation<typeof bulkPreviewResponse>);
  const accepted = { jobId: result.jobId } satisfies Representation<typeof jobAccepted>;
  return jsonResponse(202, accepted, { location: `/api/jobs/${result.jobId}` });
});
