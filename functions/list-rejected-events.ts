// GET /api/events/rejected: the tenant's queue events the worker rejected, newest first; paged.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { nextLinkOf, odataContextOf } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listRejectedEvents as list } from "../shared/usecases/rejected-events.js";

export const listRejectedEvents = httpFunction(
  routes.listRejectedEvents,
  async ({ deps, actor, query, request }) => {
    const page = await list(deps, actor.tenantId, {
      top: query.top,
      ...(query.skipToken ? { continuation: query.skipToken } : {}),
    });
    return jsonResponse(200, {
      ...odataContextOf(request.url, "events/rejected"),
      value: page.items,
      ...nextLinkOf(request.url, page.continuation),
    });
  },
);
