// The events a change of one user's licenses emits: one per product added, removed or re-planned.
import { type CloudEvent, cloudEvent } from "../../domain/events.js";
import type { LicenseChange } from "../../domain/license-change.js";
import type { AssignedLicense } from "../../domain/model.js";
import type { Deps } from "../deps.js";

export function licenseEvents(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  userId: string,
  change: LicenseChange,
  now: string,
): CloudEvent[] {
  const held = new Map<string, AssignedLicense>(change.assignedLicenses.map((l) => [l.skuId, l]));
  const event = (type: "license.assigned" | "license.unassigned" | "license.plansChanged", skuId: string) =>
    cloudEvent(type, deps.newId(), now, `users/${userId}`, {
      tenantId,
      userId,
      skuId,
      ...(held.get(skuId) ? { disabledPlans: held.get(skuId)?.disabledPlans } : {}),
    });
  return [
    ...change.added.map((skuId) => event("license.assigned", skuId)),
    ...change.removed.map((skuId) => event("license.unassigned", skuId)),
    ...change.plansChanged.map((skuId) => event("license.plansChanged", skuId)),
  ];
}
