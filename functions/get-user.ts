// GET /api/users/{id}: one user with assignedLicenses.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser as get } from "../shared/usecases/read-users.js";

export const getUser = httpFunction(routes.getUser, async ({ deps, actor, param }) =>
  jsonResponse(200, userRepresentation(await get(deps, actor.tenantId, param("id")))),
);
