// GET /api/groups/{id}: one security group; $select as in Graph.
import { httpFunction } from "../shared/http/http-function.js";
import { selected } from "../shared/http/odata.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { entityContextOf, groupRepresentation, selectedSet } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getGroup as get, groupLicenseProcessing } from "../shared/usecases/read-groups.js";

export const getGroup = httpFunction(routes.getGroup, async ({ deps, actor, param, query, request }) => {
  const { value } = await get(deps, actor.tenantId, param("id"));
  const processing = await groupLicenseProcessing(deps, actor.tenantId, value);
  return jsonResponse(200, {
    ...entityContextOf(request.url, selectedSet("groups", query.$select)),
    ...selected(groupRepresentation(value, processing), query.$select),
  });
});
