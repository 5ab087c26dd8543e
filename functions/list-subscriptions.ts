// GET /api/subscriptions: one row per subscription.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { odataContextOf, subscriptionRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listSubscriptions as list } from "../shared/usecases/read-subscriptions.js";

export const listSubscriptions = httpFunction(routes.listSubscriptions, async ({ deps, actor, request }) =>
  jsonResponse(200, {
    ...odataContextOf(request.url, "subscriptions"),
    value: (await list(deps, actor.tenantId)).map(subscriptionRepresentation),
  }),
);
