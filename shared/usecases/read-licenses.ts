// The read side (R3, R4, R16, R23): products with their seat counts, subscriptions, users.
import { findProduct, type Product, products } from "../domain/catalog.js";
import type { SeatLedger, Subscription, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { Page } from "./ports.js";

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

export function listSubscriptions(deps: Deps, tenantId: string): Promise<Subscription[]> {
  return deps.store.listSubscriptions(tenantId);
}

export function listCatalog(): readonly Product[] {
  return products;
}

export async function getUser(deps: Deps, tenantId: string, userId: string): Promise<User> {
  const found = await deps.store.getUser(tenantId, userId);
  if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
  return found.value;
}

export interface ListUsersQuery {
  readonly licensed?: boolean;
  /** Shared, room and resource mailboxes over their free quota without a license (R21). */
  readonly needsLicense?: boolean;
  /** Deleted users still in their retention window, instead of the active ones (R20). */
  readonly deleted?: boolean;
  readonly skuId?: string;
  readonly top: number;
  readonly continuation?: string;
}

/** Users of the tenant, optionally only (un)licensed ones or the holders of one product (R16). */
export async function listUsers(deps: Deps, tenantId: string, query: ListUsersQuery): Promise<Page<User>> {
  const { store } = deps;
  const page = { top: query.top, ...(query.continuation ? { continuation: query.continuation } : {}) };
  if (query.deleted) {
    // Purged users stay as tombstones; they are no longer restorable, so they are not listed.
    const deleted = await store.listUsers(tenantId, { ...page, deleted: true });
    return { ...deleted, items: deleted.items.filter((user) => !user.purgedAt) };
  }
  if (query.skuId === undefined) {
    return store.listUsers(tenantId, {
      ...page,
      ...(query.licensed === undefined ? {} : { licensed: query.licensed }),
      ...(query.needsLicense === undefined ? {} : { needsLicense: query.needsLicense }),
    });
  }
  const product = findProduct(query.skuId);
  if (!product || query.licensed === false) return { items: [] };
  const holders = await store.listHolderIds(tenantId, product.skuId, page);
  const users = [...(await store.getUsers(tenantId, holders.items)).values()].flatMap((u) =>
    u ? [u.value] : [],
  );
  return { ...holders, items: users.filter((user) => !user.deletedAt) };
}
