// The storage writes that go with a change of one user's licenses: the seat ledgers of the products
// concerned (checked against the seats available) and the index of each product's holders.
import type { LicenseChange } from "../../domain/license-change.js";
import type { SeatLedger } from "../../domain/model.js";
import { availableUnits, consumeSeats, emptyLedger, ensureSeats } from "../../domain/seats.js";
import type { TenantRecordsPort, TenantWrite, Versioned } from "../ports.js";

export type Ledgers = ReadonlyMap<string, Versioned<SeatLedger> | undefined>;

/** The ledgers of some products; `cached` may answer from this process's last known copy. */
export async function readLedgers(
  store: TenantRecordsPort,
  tenantId: string,
  skuIds: Iterable<string>,
  options: { readonly cached?: boolean } = {},
): Promise<Ledgers> {
  const unique = [...new Set(skuIds)];
  const found = await Promise.all(unique.map((skuId) => store.getLedger(tenantId, skuId, options)));
  return new Map(unique.map((skuId, i) => [skuId, found[i]]));
}

export interface SeatChange {
  readonly skuId: string;
  readonly delta: number;
  readonly availableBefore: number;
  readonly availableAfter: number;
}

/**
 * Checks the seats the changes need (all together, so a bulk commit is refused as a whole) and
 * returns the ledger and holder-index writes plus the seat change per product.
 */
export function licenseWrites(
  changes: readonly { readonly userId: string; readonly change: LicenseChange }[],
  ledgers: Ledgers,
): { writes: TenantWrite[]; seatChanges: SeatChange[] } {
  const totals = new Map<string, number>();
  for (const { change } of changes) {
    for (const [skuId, delta] of change.seatDelta) totals.set(skuId, (totals.get(skuId) ?? 0) + delta);
  }
  const current = (skuId: string): SeatLedger => ledgers.get(skuId)?.value ?? emptyLedger(skuId);
  ensureSeats(
    [...totals]
      .filter(([, delta]) => delta > 0)
      .map(([skuId, delta]) => ({ ledger: current(skuId), requested: delta })),
  );

  const writes: TenantWrite[] = [];
  const seatChanges: SeatChange[] = [];
  for (const [skuId, delta] of totals) {
    if (delta === 0) continue;
    const stored = ledgers.get(skuId);
    if (!stored) throw new Error(`seat ledger of ${skuId} is missing although seats are being freed`);
    const before = stored.value;
    const after = consumeSeats(before, delta);
    writes.push({ kind: "putLedger", ledger: after, etag: stored.etag });
    seatChanges.push({
      skuId,
      delta,
      availableBefore: availableUnits(before),
      availableAfter: availableUnits(after),
    });
  }
  for (const { userId, change } of changes) {
    for (const skuId of change.added) writes.push({ kind: "addHolder", skuId, userId });
    for (const skuId of change.removed) writes.push({ kind: "removeHolder", skuId, userId });
  }
  return { writes, seatChanges };
}
