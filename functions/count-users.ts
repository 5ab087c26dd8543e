// GET /api/users/$count: how many users a filter takes, as text/plain (Graph's /users/$count).
import { httpFunction } from "../shared/http/http-function.js";
import { requireEventualConsistency, userQueryOf } from "../shared/http/odata.js";
import { routes } from "../shared/http/routes.js";
import { countUsers as count } from "../shared/usecases/read-users.js";

export const countUsers = httpFunction(routes.countUsers, async ({ deps, actor, query, headers }) => {
  requireEventualConsistency(headers.ConsistencyLevel, "/users/$count");
  const total = await count(deps, actor.tenantId, userQueryOf(query));
  return { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: String(total) };
});
