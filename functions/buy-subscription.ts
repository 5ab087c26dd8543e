// POST /api/subscriptions: buy licenses.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscriptionEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { buySubscription as buy } from "../shared/usecases/buy-subscription.js";

export const buySubscription = httpFunction(
  routes.buySubscription,
  async ({ deps, actor, body, request }) => {
    const { value: subscription, etag } = await buy(deps, actor, body);
    return jsonResponse(201, subscriptionEntityRepresentation(request.url, subscription), {
      location: `/api/subscriptions/${subscription.id}`,
      ...etagHeader(etag),
    });
  },
);
