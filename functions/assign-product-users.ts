// POST /api/subscribedSkus/{skuId}/assign: one product to up to 100 users, a result per user.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { odataContextOf, type Representation } from "../shared/http/representations.js";
import type { userResultsResponse } from "../shared/http/response-schemas.js";
import { routes } from "../shared/http/routes.js";
import { assignProductUsers as assign } from "../shared/usecases/assign-product-users.js";

export const assignProductUsers = httpFunction(
  routes.assignProductUsers,
  async ({ deps, actor, param, body, request }) => {
    const value = await assign(deps, actor, {
      skuId: param("skuId"),
      userIds: body.userIds,
      operation: "add",
      disabledPlans: body.disabledPlans,
    });
    return jsonResponse(200, {
      ...odataContextOf(request.url, "Collection(userResult)"),
      value,
    } satisfies Representation<typeof userResultsResponse>);
  },
);
