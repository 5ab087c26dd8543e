// POST /api/groups/{id}/members/$ref: add a user to a group by its @odata.id.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { addGroupMember as add } from "../shared/usecases/add-group-member.js";

export const addGroupMember = httpFunction(routes.addGroupMember, async ({ deps, actor, param, body }) => {
  await add(deps, actor, param("id"), body["@odata.id"]);
  return { status: 204 };
});
