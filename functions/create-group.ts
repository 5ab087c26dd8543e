// POST /api/groups: create a security group.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { groupEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { createGroup as create } from "../shared/usecases/create-group.js";

export const createGroup = httpFunction(routes.createGroup, async ({ deps, actor, body, request }) => {
  const { "members@odata.bind": members, groupTypes: _securityGroup, ...properties } = body;
  const { value: group } = await create(deps, actor, { ...properties, members });
  return jsonResponse(201, groupEntityRepresentation(request.url, group), {
    location: `/api/groups/${group.id}`,
  });
});
