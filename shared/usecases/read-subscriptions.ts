// The tenant's subscriptions, one row each (R4).
import type { Subscription } from "../domain/model.js";
import type { Deps } from "./deps.js";

export function listSubscriptions(deps: Deps, tenantId: string): Promise<Subscription[]> {
  return deps.store.listSubscriptions(tenantId);
}
