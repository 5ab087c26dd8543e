// POST /api/users/{id}/reprocessLicenseAssignment: every group of the user's applies again.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { reprocessLicenses } from "../shared/usecases/group-licenses.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";

export const reprocessLicenseAssignment = httpFunction(
  routes.reprocessLicenseAssignment,
  async ({ deps, actor, param, request }) => {
    const userId = await resolveUserKey(deps, actor.tenantId, param("id"));
    const { value: user, etag } = await reprocessLicenses(deps, actor, userId);
    return jsonResponse(200, userEntityRepresentation(request.url, user), etagHeader(etag));
  },
);
