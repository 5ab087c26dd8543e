// PATCH /api/groups/{id}: change a group's properties and add members (members@odata.bind); 204 as Graph.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { updateGroup as update } from "../shared/usecases/update-group.js";

export const updateGroup = httpFunction(routes.updateGroup, async ({ deps, actor, param, body }) => {
  const { "members@odata.bind": members, ...properties } = body;
  await update(deps, actor, param("id"), { ...properties, members });
  return { status: 204 };
});
