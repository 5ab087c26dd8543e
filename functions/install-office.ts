// POST /api/users/{id}/officeInstalls: register an Office install (at most five per user).
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";
import { installOffice as install } from "../shared/usecases/office-installs.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";

export const installOffice = httpFunction(routes.installOffice, async ({ deps, actor, param, body }) => {
  const userId = await resolveUserKey(deps, actor.tenantId, param("id"));
  const created = await install(deps, actor, userId, body);
  return jsonResponse(201, created, { location: `/api/users/${userId}/officeInstalls/${created.id}` });
});
