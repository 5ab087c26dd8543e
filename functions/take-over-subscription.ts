// POST /api/subscriptions/{id}/takeOver: a self-service subscription becomes admin-managed;
// honours If-Match.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscriptionEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { changeSubscription } from "../shared/usecases/change-subscription.js";

export const takeOverSubscription = httpFunction(
  routes.takeOverSubscription,
  async ({ deps, actor, param, headers, request }) => {
    const { value, etag } = await changeSubscription(
      deps,
      actor,
      param("id"),
      { kind: "takeOver" },
      { ifMatch: headers["If-Match"] },
    );
    return jsonResponse(200, subscriptionEntityRepresentation(request.url, value), etagHeader(etag));
  },
);
