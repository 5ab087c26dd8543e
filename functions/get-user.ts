// GET /api/users/{id}: one user with assignedLicenses, and their ETag.

import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getVersionedUser } from "../shared/usecases/read-users.js";

export const getUser = httpFunction(routes.getUser, async ({ deps, actor, param }) => {
  const { value, etag } = await getVersionedUser(deps, actor.tenantId, param("id"));
  return jsonResponse(200, userRepresentation(value), etagHeader(etag));
});
