// The seats a bulk request needs, checked before a job starts (R10, R14): from the holder index and
// a key-only scan of the tenant's users, never reading a user record.
import { type BulkOperation, seatsNeeded } from "../../domain/bulk.js";
import type { LicenseToAdd } from "../../domain/license-change.js";
import type { SeatLedger } from "../../domain/model.js";
import { adminAvailable, emptyLedger, ensureSeats } from "../../domain/seats.js";
import type { TenantRecordsPort } from "../ports.js";

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
