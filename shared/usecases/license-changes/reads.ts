// The reads a license-change round decides on: users, seat ledgers and the subscriptions the users
// hold licenses through, each with its version; `cached` lets a first try take this process's copies.
import type { SeatLedger, Subscription, User } from "../../domain/model.js";
import type { TenantRecordsPort, Versioned } from "../ports.js";

export async function readUsers(
  store: TenantRecordsPort,
  tenantId: string,
  userIds: readonly string[],
  cached: boolean,
): Promise<ReadonlyMap<string, Versioned<User> | undefined>> {
  // Many users read fresh: range reads; otherwise point reads, free when cached.
  if (!cached && userIds.length > 1) return store.getUsers(tenantId, userIds);
  const found = await Promise.all(userIds.map((id) => store.getUser(tenantId, id, { cached })));
  return new Map(userIds.map((id, i) => [id, found[i]]));
}

export async function readLedgers(
  store: TenantRecordsPort,
  tenantId: string,
  skuIds: Iterable<string>,
  cached = false,
): Promise<Map<string, Versioned<SeatLedger> | undefined>> {
  const unique = [...new Set(skuIds)];
  const found = await Promise.all(unique.map((skuId) => store.getLedger(tenantId, skuId, { cached })));
  return new Map(unique.map((skuId, i) => [skuId, found[i]]));
}

/** The subscriptions the users hold licenses through (R6: self-service ones may not be touched). */
export async function readSubscriptions(
  store: TenantRecordsPort,
  tenantId: string,
  users: Iterable<User | undefined>,
): Promise<Map<string, Versioned<Subscription> | undefined>> {
  const ids = new Set<string>();
  for (const user of users) {
    for (const license of user?.assignedLicenses ?? [])
      if (license.viaSubscriptionId) ids.add(license.viaSubscriptionId);
  }
  const found = await Promise.all([...ids].map((id) => store.getSubscription(tenantId, id)));
  return new Map([...ids].map((id, i) => [id, found[i]]));
}
