// GET /api/groups/{id}: one security group.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { groupEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getGroup as get } from "../shared/usecases/read-groups.js";

export const getGroup = httpFunction(routes.getGroup, async ({ deps, actor, param, request }) => {
  const { value } = await get(deps, actor.tenantId, param("id"));
  return jsonResponse(200, groupEntityRepresentation(request.url, value));
});
