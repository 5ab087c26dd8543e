// GET /api/users/{id}/licenseDetails/{licenseDetailsId}: one of a user's licenses, by the id
// licenseDetails gives it.
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { entityContextOf, oneLicenseDetails } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { getUser } from "../shared/usecases/read-users.js";

export const getLicenseDetailsItem = httpFunction(
  routes.getLicenseDetailsItem,
  async ({ deps, actor, param, request }) => {
    // Read as sent: the id is base64url, whose case matters (param() lower-cases GUIDs).
    const id = request.params.licenseDetailsId ?? "";
    const user = await getUser(deps, actor.tenantId, param("id"));
    return jsonResponse(200, {
      ...entityContextOf(request.url, `users('${param("id")}')/licenseDetails`),
      ...oneLicenseDetails(user, id),
    });
  },
);
