// GET /api/subscribedSkus/{skuId}: one product's seat counts.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscribedSkuRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getSubscribedSku as get } from "../shared/usecases/read-subscribed-skus.js";

export const getSubscribedSku = httpFunction(routes.getSubscribedSku, async ({ deps, actor, param }) =>
  jsonResponse(200, subscribedSkuRepresentation(await get(deps, actor.tenantId, param("skuId")))),
);
