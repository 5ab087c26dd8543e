// DELETE /api/users/{id}: delete a user and free all their licenses; honours If-Match.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { deleteUser as remove } from "../shared/usecases/delete-user.js";

export const deleteUser = httpFunction(routes.deleteUser, async ({ deps, actor, param, headers }) => {
  await remove(deps, actor, param("id"), { ifMatch: headers["If-Match"] });
  return { status: 204 };
});
