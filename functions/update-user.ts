// PATCH /api/users/{id}: change displayName or litigationHold; honours If-Match.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";
import { updateUser as update } from "../shared/usecases/update-user.js";

export const updateUser = httpFunction(routes.updateUser, async ({ deps, actor, param, body, headers }) => {
  const { value, etag } = await update(
    deps,
    actor,
    await resolveUserKey(deps, actor.tenantId, param("id")),
    body,
    { ifMatch: headers["If-Match"] },
  );
  return jsonResponse(200, userRepresentation(value), etagHeader(etag));
});
