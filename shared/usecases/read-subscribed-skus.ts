// The products the tenant has bought, with their seat counts (R3, R4).
import { findProduct, type Product } from "../domain/catalog.js";
import type { SeatLedger, Subscription } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";

export interface SubscribedSku {
  readonly product: Product;
  readonly ledger: SeatLedger;
  /** The product's subscriptions (Graph's subscriptionIds and capabilityStatus come from them). */
  readonly subscriptions: readonly Subscription[];
}

/** One row per product the tenant has bought, summed over its subscriptions (R4). */
export async function listSubscribedSkus(deps: Deps, tenantId: string): Promise<SubscribedSku[]> {
  const [ledgers, subscriptions] = await Promise.all([
    deps.store.listLedgers(tenantId),
    deps.store.listSubscriptions(tenantId),
  ]);
  return ledgers.flatMap((ledger) => {
    const product = findProduct(ledger.skuId);
    const bought = subscriptions.filter((s) => s.skuId === ledger.skuId);
    // A ledger without subscriptions only counts members waiting for a product never bought.
    if (!product || bought.length === 0) return [];
    return [{ product, ledger, subscriptions: bought }];
  });
}

export async function getSubscribedSku(deps: Deps, tenantId: string, skuId: string): Promise<SubscribedSku> {
  const product = findProduct(skuId);
  if (!product) throw notFound(`Subscribed SKU ${skuId}`);
  const [stored, subscriptions] = await Promise.all([
    deps.store.getLedger(tenantId, product.skuId),
    deps.store.listSubscriptions(tenantId),
  ]);
  const bought = subscriptions.filter((s) => s.skuId === product.skuId);
  if (!stored || bought.length === 0) throw notFound(`Subscribed SKU ${skuId}`);
  return { product, ledger: stored.value, subscriptions: bought };
}
