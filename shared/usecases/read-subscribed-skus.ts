// The products the tenant has bought, with their seat counts (R3, R4).
import { findProduct, type Product } from "../domain/catalog.js";
import type { SeatLedger } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";

export interface SubscribedSku {
  readonly product: Product;
  readonly ledger: SeatLedger;
}

/** One row per product the tenant has bought, summed over its subscriptions (R4). */
export async function listSubscribedSkus(deps: Deps, tenantId: string): Promise<SubscribedSku[]> {
  const ledgers = await deps.store.listLedgers(tenantId);
  return ledgers.flatMap((ledger) => {
    const product = findProduct(ledger.skuId);
    return product ? [{ product, ledger }] : [];
  });
}

export async function getSubscribedSku(deps: Deps, tenantId: string, skuId: string): Promise<SubscribedSku> {
  const product = findProduct(skuId);
  const stored = product && (await deps.store.getLedger(tenantId, product.skuId));
  if (!product || !stored) throw notFound(`Subscribed SKU ${skuId}`);
  return { product, ledger: stored.value };
}
