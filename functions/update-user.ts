// PATCH /api/users/{id}: change a user's properties; honours If-Match. As Graph: 204, or 200 with the
// user when the caller's Prefer asks for return=representation.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";
import { updateUser as update } from "../shared/usecases/update-user.js";

export const updateUser = httpFunction(
  routes.updateUser,
  async ({ deps, actor, param, body, headers, request }) => {
    const { value, etag } = await update(
      deps,
      actor,
      await resolveUserKey(deps, actor.tenantId, param("id")),
      body,
      { ifMatch: headers["If-Match"] },
    );
    if (!headers.Prefer.includes("return=representation")) return { status: 204, headers: etagHeader(etag) };
    return jsonResponse(200, userEntityRepresentation(request.url, value), {
      ...etagHeader(etag),
      "preference-applied": "return=representation",
    });
  },
);
