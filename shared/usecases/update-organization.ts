// Change the tenant's organisation record (PATCH /organization/{id}): its display name and its
// default usage location (countryLetterCode), which users created without one get.
import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { Actor, Organization } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { noOrganization } from "./read-organization.js";
import { auditWrite } from "./steps/audit.js";

/** What to change: left out keeps it; null clears it. */
export interface UpdateOrganizationInput {
  readonly displayName?: string | null | undefined;
  readonly countryLetterCode?: string | null | undefined;
}

export async function updateOrganization(
  deps: Deps,
  actor: Actor,
  organizationId: string,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  // The organisation's id is the tenant's: another tenant's is not found, as any record of it.
  if (organizationId.toLowerCase() !== actor.tenantId.toLowerCase())
    throw notFound(`Organization ${organizationId}`);
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(actor.tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getOrganization(actor.tenantId);
      const before = found?.value ?? noOrganization;
      const at = clock.now().toISOString();
      const after: Organization = {
        ...before,
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.countryLetterCode === undefined ? {} : { countryLetterCode: input.countryLetterCode }),
        createdAt: before.createdAt ?? at,
      };
      await store.commit(actor.tenantId, [
        { kind: "putOrganization", organization: after, ...(found ? { etag: found.etag } : {}) },
        auditWrite(deps, actor, at, "updateOrganization", `organization/${actor.tenantId}`, before, after),
      ]);
      return after;
    }),
  );
}
