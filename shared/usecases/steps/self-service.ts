// R6: the self-service subscriptions not taken over, of one user's licenses or of the whole tenant.
import type { AssignedLicense } from "../../domain/model.js";
import type { TenantRecordsPort } from "../ports.js";

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

/** Every self-service subscription of the tenant (bulk work checks each user against them). */
export async function selfServiceIds(store: TenantRecordsPort, tenantId: string): Promise<Set<string>> {
  const subscriptions = await store.listSubscriptions(tenantId);
  return new Set(subscriptions.filter((s) => s.purchaseChannel === "SelfService").map((s) => s.id));
}
