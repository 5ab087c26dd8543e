// GET /api/users/{id}: one user with assignedLicenses, by id or userPrincipalName; $select as in Graph.
import { httpFunction } from "../shared/http/http-function.js";
import { selected } from "../shared/http/odata.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser as get } from "../shared/usecases/read-users.js";

export const getUser = httpFunction(routes.getUser, async ({ deps, actor, param, query }) =>
  jsonResponse(
    200,
    selected(userRepresentation(await get(deps, actor.tenantId, param("id"))), query.$select),
  ),
);
