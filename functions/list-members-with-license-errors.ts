// GET /api/groups/{id}/membersWithLicenseErrors: the members whose licenses from the group are held back.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { groupMemberRepresentation, odataContextOf } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listMembersWithLicenseErrors as list } from "../shared/usecases/read-groups.js";

export const listMembersWithLicenseErrors = httpFunction(
  routes.listMembersWithLicenseErrors,
  async ({ deps, actor, param, request }) => {
    const users = await list(deps, actor.tenantId, param("id"));
    return jsonResponse(200, {
      ...odataContextOf(request.url, "directoryObjects"),
      value: users.map(groupMemberRepresentation),
    });
  },
);
