// GET /api/subscribedSkus: seat counts per product, summed over its subscriptions.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { odataContextOf, subscribedSkuRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listSubscribedSkus as list } from "../shared/usecases/read-subscribed-skus.js";

export const listSubscribedSkus = httpFunction(routes.listSubscribedSkus, async ({ deps, actor, request }) =>
  jsonResponse(200, {
    ...odataContextOf(request.url, "subscribedSkus"),
    value: (await list(deps, actor.tenantId)).map((sku) => subscribedSkuRepresentation(sku, actor.tenantId)),
  }),
);
