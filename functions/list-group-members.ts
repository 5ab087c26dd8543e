// GET /api/groups/{id}/members: a group's members (users), paged.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { groupMemberRepresentation, nextLinkOf, odataContextOf } from "../shared/http/representations.js";
import { pageOptionsOf } from "../shared/http/request-schemas.js";
import { routes } from "../shared/http/routes.js";
import { listMembers } from "../shared/usecases/read-groups.js";

export const listGroupMembers = httpFunction(
  routes.listGroupMembers,
  async ({ deps, actor, param, query, request }) => {
    const page = await listMembers(deps, actor.tenantId, param("id"), pageOptionsOf(query));
    return jsonResponse(200, {
      ...odataContextOf(request.url, "directoryObjects"),
      value: page.items.map(groupMemberRepresentation),
      ...nextLinkOf(request.url, page.continuation),
    });
  },
);
