// GET /api/subscribedSkus: seat counts per product, summed over its subscriptions.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscribedSkuRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listSubscribedSkus as list } from "../shared/usecases/read-subscribed-skus.js";

export const listSubscribedSkus = httpFunction(routes.listSubscribedSkus, async ({ deps, actor }) =>
  jsonResponse(200, { value: (await list(deps, actor.tenantId)).map(subscribedSkuRepresentation) }),
);
