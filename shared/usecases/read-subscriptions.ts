// The tenant's subscriptions, one row each (R4), or one of them with its version.
import type { Subscription } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { Versioned } from "./ports.js";

export function listSubscriptions(deps: Deps, tenantId: string): Promise<Subscription[]> {
  return deps.store.listSubscriptions(tenantId);
}

export async function getSubscription(
  deps: Deps,
  tenantId: string,
  subscriptionId: string,
): Promise<Versioned<Subscription>> {
  const found = await deps.store.getSubscription(tenantId, subscriptionId);
  if (!found) throw notFound(`Subscription ${subscriptionId}`);
  return found;
}
