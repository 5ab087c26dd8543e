// PATCH /api/organization/{id}: the organisation's name and default usage location; 204 as Graph.
import { httpFunction } from "../shared/http/http-function.js";
import { routes } from "../shared/http/routes.js";
import { updateOrganization as update } from "../shared/usecases/update-organization.js";

export const updateOrganization = httpFunction(
  routes.updateOrganization,
  async ({ deps, actor, param, body }) => {
    await update(deps, actor, param("id"), body);
    return { status: 204 };
  },
);
