// GET /api/health: is the service up, and can it reach storage and the queue?
import { getServices } from "../shared/composition.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

export const health = httpFunction(routes.health, async () => {
  const services = getServices();
  const [storageUp, queueUp] = await Promise.all([services.checkStorage(), services.checkQueue()]);
  const storage = storageUp ? "ok" : "down";
  const queue = queueUp ? "ok" : "down";
  const status = storageUp && queueUp ? "ok" : "degraded";
  const body = { status, storage, queue };
  return status === "ok" ? jsonResponse(200, body) : jsonResponse(503, body, { "retry-after": "10" });
});
