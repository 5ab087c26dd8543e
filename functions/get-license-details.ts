// GET /api/users/{id}/licenseDetails: each license's service plans and their provisioning status.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { licenseDetailsRepresentation, odataContextOf } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser } from "../shared/usecases/read-users.js";

export const getLicenseDetails = httpFunction(
  routes.getLicenseDetails,
  async ({ deps, actor, param, request }) =>
    jsonResponse(200, {
      ...odataContextOf(request.url, `users('${param("id")}')/licenseDetails`),
      value: licenseDetailsRepresentation(await getUser(deps, actor.tenantId, param("id"))),
    }),
);
