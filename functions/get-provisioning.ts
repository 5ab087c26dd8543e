// GET /api/users/{id}/provisioning: what the worker has applied: mailbox, team site permission,
// Skype for Business / Teams features and the Office apps entitlement with its installs.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { provisioningRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser } from "../shared/usecases/read-users.js";

export const getProvisioning = httpFunction(routes.getProvisioning, async ({ deps, actor, param }) =>
  jsonResponse(200, provisioningRepresentation(await getUser(deps, actor.tenantId, param("id")))),
);
