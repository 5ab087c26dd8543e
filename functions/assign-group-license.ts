// POST /api/groups/{id}/assignLicense: the group's licenses change at once; its members inherit
// them in the background, and the group's licenseProcessingState shows how far that is.
import { etagHeader } from "../shared/http/etags.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { entityContextOf, groupRepresentation } from "../shared/http/representations.js";
import { routes } from "../shared/http/routes.js";
import { assignGroupLicense as assign } from "../shared/usecases/group-licenses.js";
import { groupLicenseProcessing } from "../shared/usecases/read-groups.js";

export const assignGroupLicense = httpFunction(
  routes.assignGroupLicense,
  async ({ deps, actor, param, body, request }) => {
    const { value: group, etag } = await assign(deps, actor, param("id"), body);
    const processing = await groupLicenseProcessing(deps, actor.tenantId, group);
    return jsonResponse(
      202,
      { ...entityContextOf(request.url, "groups"), ...groupRepresentation(group, processing) },
      // Where the progress shows: the group itself.
      { ...etagHeader(etag), location: `/api/groups/${group.id}` },
    );
  },
);
