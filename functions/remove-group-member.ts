// DELETE /api/groups/{id}/members/{userId}/$ref: remove a user from a group.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { removeGroupMember as remove } from "../shared/usecases/remove-group-member.js";

export const removeGroupMember = httpFunction(routes.removeGroupMember, async ({ deps, actor, param }) => {
  await remove(deps, actor, param("id"), param("userId"));
  return { status: 204 };
});
