// The tenant's organisation record (GET /organization): its name and default usage location.
import type { Organization } from "../domain/model.js";
import type { Deps } from "./deps.js";

/** What a tenant without a record shows: no name, no default country. */
export const noOrganization: Organization = { displayName: null, countryLetterCode: null, createdAt: null };

export async function readOrganization(deps: Deps, tenantId: string): Promise<Organization> {
  return (await deps.store.getOrganization(tenantId))?.value ?? noOrganization;
}
