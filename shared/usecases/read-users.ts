// The tenant's users: one by id, or a page of them, optionally filtered (R16, R20, R21, R23).
import { findProduct } from "../domain/catalog.js";
import type { User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { Page, Versioned } from "./ports.js";

export async function getUser(deps: Deps, tenantId: string, userId: string): Promise<User> {
  return (await getVersionedUser(deps, tenantId, userId)).value;
}

/** One user with their version (ETag). */
export async function getVersionedUser(
  deps: Deps,
  tenantId: string,
  userId: string,
): Promise<Versioned<User>> {
  const found = await deps.store.getUser(tenantId, userId);
  if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
  return found;
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
