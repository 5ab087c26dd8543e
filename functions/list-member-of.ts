// GET /api/users/{id}/memberOf: the groups a user is a member of, paged.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { memberOfRepresentation, nextLinkOf, odataContextOf } from "../shared/http/representations.js";
import { pageOptionsOf } from "../shared/http/request-schemas.js";
import { routes } from "../shared/http/routes.js";
import { listMemberOf as list } from "../shared/usecases/read-groups.js";

export const listMemberOf = httpFunction(
  routes.listMemberOf,
  async ({ deps, actor, param, query, request }) => {
    const page = await list(deps, actor.tenantId, param("id"), pageOptionsOf(query));
    return jsonResponse(200, {
      ...odataContextOf(request.url, "directoryObjects"),
      value: page.items.map(memberOfRepresentation),
      ...nextLinkOf(request.url, page.continuation),
    });
  },
);
