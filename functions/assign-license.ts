// POST /api/users/{id}/assignLicense: add, change and remove licenses in one all-or-nothing step.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import {
  type Representation,
  userEntityRepresentation,
  userRepresentation,
} from "../shared/http/representations.js";
import type { assignLicenseDryRunResponse } from "../shared/http/response-schemas.js";
import { routes } from "../shared/http/routes.js";
import { assignLicense as assign } from "../shared/usecases/assign-licenses.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";

export const assignLicense = httpFunction(
  routes.assignLicense,
  async ({ deps, actor, param, body, query, headers, request }) => {
    const dryRun = query.dryRun === true;
    const result = await assign(deps, actor, await resolveUserKey(deps, actor.tenantId, param("id")), body, {
      dryRun,
      ifMatch: headers["If-Match"],
    });
    if (!dryRun)
      return jsonResponse(200, userEntityRepresentation(request.url, result.user), etagHeader(result.etag));
    return jsonResponse(
      200,
      {
        dryRun: true,
        user: userRepresentation(result.user),
        seatChanges: result.seatChanges,
      } satisfies Representation<typeof assignLicenseDryRunResponse>,
      etagHeader(result.etag),
    );
  },
);
