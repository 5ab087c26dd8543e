// What bulk work shares: the self-service subscriptions, the products users hold, a plan over stored
// users and ledgers, and the seats a request needs (R10, R11, R14).

import {
  type BulkOperation,
  type BulkPlan,
  type BulkRequest,
  planBulk,
  seatsNeeded,
} from "../domain/bulk.js";
import { checkedLicensesToAdd, type LicenseToAdd } from "../domain/license-change.js";
import type { SeatLedger, User } from "../domain/model.js";
import { adminAvailable, emptyLedger, ensureSeats } from "../domain/seats.js";
import type { TenantRecordsPort, Versioned } from "./ports.js";

/** Every product the users hold (their ledgers move when licenses are removed or replaced). */
export const heldSkuIds = (users: ReadonlyMap<string, Versioned<User> | undefined>): string[] =>
  [...users.values()].flatMap((u) => u?.value.assignedLicenses.map((l) => l.skuId) ?? []);

/** `planBulk` over users and ledgers as the store returns them: versioned, and maybe missing. */
export function planStored(
  userIds: readonly string[],
  users: ReadonlyMap<string, Versioned<User> | undefined>,
  request: BulkRequest,
  ledgers: ReadonlyMap<string, Versioned<SeatLedger> | undefined>,
  context: Parameters<typeof planBulk>[4],
): BulkPlan {
  return planBulk(
    userIds,
    new Map([...users].map(([id, v]) => [id, v?.value])),
    request,
    new Map([...ledgers].map(([skuId, v]) => [skuId, v?.value ?? emptyLedger(skuId)])),
    context,
  );
}

export async function selfServiceIds(store: TenantRecordsPort, tenantId: string): Promise<Set<string>> {
  const subscriptions = await store.listSubscriptions(tenantId);
  return new Set(subscriptions.filter((s) => s.purchaseChannel === "SelfService").map((s) => s.id));
}

/**
 * The request's licenses with Microsoft's spelling of each id, refused up front as assignLicense
 * would refuse them (duplicates and unknown service plans 400, unknown products 404), so that a job
 * never starts only for every user to fail.
 */
export function canonicalLicenses(
  licenses: readonly LicenseToAdd[],
): { skuId: string; disabledPlans: string[] }[] {
  return checkedLicensesToAdd(licenses, "licenses");
}

export interface SeatPreview {
  readonly skuId: string;
  readonly needed: number;
  readonly available: number;
  readonly missing: number;
}

/**
 * The seats a bulk request needs per product, from the holder index and a key-only scan of the
 * tenant's users (no user record is read); refuses with CountViolation unless `allowPartial`.
 */
export async function checkSeatsUpFront(
  store: TenantRecordsPort,
  tenantId: string,
  userIds: readonly string[],
  request: {
    readonly operation: BulkOperation;
    readonly licenses: readonly LicenseToAdd[];
    readonly allowPartial: boolean;
  },
  options: { readonly refuse: boolean },
): Promise<SeatPreview[]> {
  if (request.operation !== "add" && request.operation !== "replace") return [];
  const skuIds = request.licenses.map((l) => l.skuId);
  const [existing, holderSets, ledgers] = await Promise.all([
    store.listActiveUserIds(tenantId),
    Promise.all(skuIds.map((skuId) => store.listAllHolderIds(tenantId, skuId))),
    Promise.all(skuIds.map((skuId) => store.getLedger(tenantId, skuId))),
  ]);
  const holders = new Map(skuIds.map((skuId, i) => [skuId, holderSets[i] ?? new Set<string>()]));
  const needed = seatsNeeded(userIds, existing, holders, request);
  const ledgerOf = (skuId: string, i: number): SeatLedger => ledgers[i]?.value ?? emptyLedger(skuId);
  if (options.refuse && !request.allowPartial) {
    ensureSeats(
      skuIds.map((skuId, i) => ({ ledger: ledgerOf(skuId, i), requested: needed.get(skuId) ?? 0 })),
    );
  }
  return skuIds.map((skuId, i) => {
    const ledger = ledgerOf(skuId, i);
    const available = Math.max(0, adminAvailable(ledger));
    const want = needed.get(skuId) ?? 0;
    return { skuId, needed: want, available, missing: Math.max(0, want - available) };
  });
}
