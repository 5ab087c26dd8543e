// GET /api/organization: the tenant's organisation, as Graph's collection of one.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { odataContextOf, organizationRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { readOrganization } from "../shared/usecases/read-organization.js";

export const listOrganization = httpFunction(routes.listOrganization, async ({ deps, actor, request }) =>
  jsonResponse(200, {
    ...odataContextOf(request.url, "organization"),
    value: [organizationRepresentation(actor.tenantId, await readOrganization(deps, actor.tenantId))],
  }),
);
