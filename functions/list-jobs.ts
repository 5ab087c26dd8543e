// GET /api/jobs: the tenant's most recent jobs, newest first, with their progress.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { jobRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listRecentJobs } from "../shared/usecases/read-job.js";

export const listJobs = httpFunction(routes.listJobs, async ({ deps, actor, query }) => {
  const views = await listRecentJobs(deps, actor.tenantId, query.$top);
  return jsonResponse(200, { value: views.map(jobRepresentation) });
});
