// DELETE /api/users/{id}/officeInstalls/{installId}: release an install so another device can use it.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { removeOfficeInstall as remove } from "../shared/usecases/office-installs.js";
import { resolveUserKey } from "../shared/usecases/read-users.js";

export const removeOfficeInstall = httpFunction(
  routes.removeOfficeInstall,
  async ({ deps, actor, param }) => {
    await remove(deps, actor, await resolveUserKey(deps, actor.tenantId, param("id")), param("installId"));
    return { status: 204 };
  },
);
