// POST /api/users/{id}/restore: bring a deleted user back within the retention period.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";
import { restoreUser as restore } from "../shared/usecases/restore-user.js";

export const restoreUser = httpFunction(routes.restoreUser, async ({ deps, actor, param, request }) => {
  const { value, etag } = await restore(deps, actor, await resolveUserKey(deps, actor.tenantId, param("id")));
  return jsonResponse(200, userEntityRepresentation(request.url, value), etagHeader(etag));
});
