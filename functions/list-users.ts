// GET /api/users: users, optionally unlicensed ones, the holders of a product, members in license
// errors or an OData $filter's; ordered by $orderby, paged, with $select and $count as Microsoft
// Graph takes them.
import { httpFunction } from "../shared/http/http-function.js";
import {
  advancedQueryParts,
  requireEventualConsistency,
  selected,
  userQueryOf,
} from "../shared/http/odata.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import {
  nextLinkOf,
  odataContextOf,
  selectedSet,
  userRepresentation,
} from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { countUsers, listUsers as list } from "../shared/usecases/read-users.js";

export const listUsers = httpFunction(routes.listUsers, async ({ deps, actor, query, headers, request }) => {
  const filter = userQueryOf(query);
  const orderBy = query.$orderby;
  const [advanced] = advancedQueryParts(filter, {
    ...(query.$count ? { $count: true } : {}),
    ...(orderBy ? { orderBy } : {}),
  });
  if (advanced !== undefined) requireEventualConsistency(headers.ConsistencyLevel, advanced);
  const [page, count] = await Promise.all([
    list(deps, actor.tenantId, {
      ...filter,
      top: query.$top ?? query.top,
      ...(query.skipToken ? { continuation: query.skipToken } : {}),
      ...(orderBy ? { orderBy } : {}),
    }),
    query.$count ? countUsers(deps, actor.tenantId, filter) : undefined,
  ]);
  return jsonResponse(200, {
    ...odataContextOf(request.url, selectedSet("users", query.$select)),
    ...(count === undefined ? {} : { "@odata.count": count }),
    value: page.items.map((user) => selected(userRepresentation(user), query.$select)),
    ...nextLinkOf(request.url, page.continuation),
  });
});
