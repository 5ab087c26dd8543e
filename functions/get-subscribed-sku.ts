// GET /api/subscribedSkus/{id}: one product's seat counts, by skuId or Graph's {tenantId}_{skuId}.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { entityContextOf, skuIdOfKey, subscribedSkuRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getSubscribedSku as get } from "../shared/usecases/read-subscribed-skus.js";

export const getSubscribedSku = httpFunction(
  routes.getSubscribedSku,
  async ({ deps, actor, param, request }) => {
    const skuId = skuIdOfKey(param("skuId"), actor.tenantId);
    return jsonResponse(200, {
      ...entityContextOf(request.url, "subscribedSkus"),
      ...subscribedSkuRepresentation(await get(deps, actor.tenantId, skuId), actor.tenantId),
    });
  },
);
