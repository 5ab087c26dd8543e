// DELETE /api/groups/{id}: delete a security group and its memberships.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { deleteGroup as remove } from "../shared/usecases/delete-group.js";

export const deleteGroup = httpFunction(routes.deleteGroup, async ({ deps, actor, param }) => {
  await remove(deps, actor, param("id"));
  return { status: 204 };
});
