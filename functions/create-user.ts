// POST /api/users: add a user, optionally licensed in the same request.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { userEntityRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { createUser as create } from "../shared/usecases/create-user.js";

export const createUser = httpFunction(routes.createUser, async ({ deps, actor, body, request }) => {
  const { value: user, etag } = await create(deps, actor, body);
  return jsonResponse(201, userEntityRepresentation(request.url, user), {
    location: `/api/users/${user.id}`,
    ...etagHeader(etag),
  });
});
