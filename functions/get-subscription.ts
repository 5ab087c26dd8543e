// GET /api/subscriptions/{id}: one subscription, with its ETag.

import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscriptionEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getSubscription as get } from "../shared/usecases/read-subscriptions.js";

export const getSubscription = httpFunction(
  routes.getSubscription,
  async ({ deps, actor, param, request }) => {
    const { value, etag } = await get(deps, actor.tenantId, param("id"));
    return jsonResponse(200, subscriptionEntityRepresentation(request.url, value), etagHeader(etag));
  },
);
