// DELETE /api/users/{id}: delete a user and free all their licenses; honours If-Match.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { deleteUser as remove } from "../shared/usecases/delete-user.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";

export const deleteUser = httpFunction(routes.deleteUser, async ({ deps, actor, param, headers }) => {
  await remove(deps, actor, await resolveUserKey(deps, actor.tenantId, param("id")), {
    ifMatch: headers["If-Match"],
  });
  return { status: 204 };
});
