// GET /api/jobs/{jobId}: progress, and paged per-user results once the job is done.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { jobRepresentation, nextLinkOf, type Representation } from "../shared/http/representations.js";
import type { jobResponse } from "../shared/http/response-schemas.js";
import { routes } from "../shared/http/routes.js";
import { readJob } from "../shared/usecases/read-job.js";

export const getJob = httpFunction(routes.getJob, async ({ deps, actor, param, query, request }) => {
  const view = await readJob(deps, actor.tenantId, param("jobId"), {
    top: query.top,
    offset: Number(query.skipToken ?? 0),
  });
  // A job is not a collection: its results' next page stays a plain `nextLink`.
  const { "@odata.nextLink": nextLink } = nextLinkOf(
    request.url,
    view.nextOffset === undefined ? undefined : String(view.nextOffset),
  );
  return jsonResponse(200, {
    ...jobRepresentation(view),
    ...(view.results ? { results: view.results } : {}),
    ...(nextLink ? { nextLink } : {}),
  } satisfies Representation<typeof jobResponse>);
});
