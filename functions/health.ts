// GET /api/health: is the service up, and can it reach storage and the queue?
import { getServices } from "../shared/composition.js";
import { unavailableRetryAfterSeconds } from "../shared/domain/problem.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

export const health = httpFunction(routes.health, async () => {
  const services = getServices();
  const [storageUp, queueUp] = await Promise.all([services.checkStorage(), services.checkQueue()]);
  const storage = storageUp ? "ok" : "down";
  const queue = queueUp ? "ok" : "down";
  const status = storageUp && queueUp ? "ok" : "degraded";
  if (status === "ok") return jsonResponse(200, { status, storage, queue });
  return jsonResponse(
    503,
    { status, storage, queue },
    { "Retry-After": String(unavailableRetryAfterSeconds) },
  );
});
