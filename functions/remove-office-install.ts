// DELETE /api/users/{id}/officeInstalls/{installId}: release an install so another device can use it.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { removeOfficeInstall as remove } from "../shared/usecases/office-installs.js";

export const removeOfficeInstall = httpFunction(
  routes.removeOfficeInstall,
  async ({ deps, actor, param }) => {
    await remove(deps, actor, param("id"), param("installId"));
    return { status: 204 };
  },
);
