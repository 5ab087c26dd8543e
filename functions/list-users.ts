// GET /api/users: users, optionally unlicensed ones or the holders of a product; paged.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { nextLinkOf, odataContextOf, userRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { listUsers as list } from "../shared/usecases/read-users.js";

export const listUsers = httpFunction(routes.listUsers, async ({ deps, actor, query, request }) => {
  const page = await list(deps, actor.tenantId, {
    top: query.top,
    ...(query.licensed === undefined ? {} : { licensed: query.licensed }),
    ...(query.needsLicense === undefined ? {} : { needsLicense: query.needsLicense }),
    ...(query.deleted === undefined ? {} : { deleted: query.deleted }),
    ...(query.skuId ? { skuId: query.skuId } : {}),
    ...(query.skipToken ? { continuation: query.skipToken } : {}),
  });
  return jsonResponse(200, {
    ...odataContextOf(request.url, "users"),
    value: page.items.map(userRepresentation),
    ...nextLinkOf(request.url, page.continuation),
  });
});
