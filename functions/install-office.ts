// POST /api/users/{id}/officeInstalls: register an Office install (at most five per user).
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routes } from "../shared/http/routes.js";
import { installOffice as install } from "../shared/usecases/office-installs.js";

export const installOffice = httpFunction(routes.installOffice, async ({ deps, actor, param, body }) => {
  const created = await install(deps, actor, param("id"), body);
  return jsonResponse(201, created, { location: `/api/users/${param("id")}/officeInstalls/${created.id}` });
});
