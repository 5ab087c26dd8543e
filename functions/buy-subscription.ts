// POST /api/subscriptions: buy licenses.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { subscriptionRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { buySubscription as buy } from "../shared/usecases/buy-subscription.js";

export const buySubscription = httpFunction(routes.buySubscription, async ({ deps, actor, body }) => {
  const subscription = await buy(deps, actor, body);
  return jsonResponse(201, subscriptionRepresentation(subscription), {
    location: `/api/subscriptions/${subscription.id}`,
  });
});
