// GET /api/health: is the service up, can it reach storage (and the queue, once there is one)?
import { getServices } from "../shared/composition.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";

export const health = httpFunction(routes.health, async () => {
  const storage = (await getServices().checkStorage()) ? "ok" : "down";
  const status = storage === "ok" ? "ok" : "degraded";
  return jsonResponse(status === "ok" ? 200 : 503, { status, storage, queue: "notConfigured" });
});
