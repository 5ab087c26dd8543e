// GET /api/users/{id}: one user with assignedLicenses, by id or userPrincipalName, and their ETag;
// $select as in Graph.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { selected } from "../shared/http/odata.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { entityContextOf, selectedSet, userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getVersionedUser } from "../shared/usecases/read-users.js";

export const getUser = httpFunction(routes.getUser, async ({ deps, actor, param, query, request }) => {
  const { value, etag } = await getVersionedUser(deps, actor.tenantId, param("id"));
  return jsonResponse(
    200,
    {
      ...entityContextOf(request.url, selectedSet("users", query.$select)),
      ...selected(userRepresentation(value), query.$select),
    },
    etagHeader(etag),
  );
});
