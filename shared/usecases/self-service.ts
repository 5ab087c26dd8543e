// R6: which of a user's licenses still come from a self-service subscription not taken over.
import type { AssignedLicense } from "../domain/model.js";
import type { TenantRecordsPort } from "./ports.js";

export async function selfServiceSubscriptionIds(
  store: TenantRecordsPort,
  tenantId: string,
  licenses: readonly AssignedLicense[],
): Promise<ReadonlySet<string>> {
  const ids = [...new Set(licenses.flatMap((l) => (l.viaSubscriptionId ? [l.viaSubscriptionId] : [])))];
  if (ids.length === 0) return new Set();
  const subscriptions = await Promise.all(ids.map((id) => store.getSubscription(tenantId, id)));
  return new Set(
    subscriptions.flatMap((s) => (s && s.value.purchaseChannel === "SelfService" ? [s.value.id] : [])),
  );
}
