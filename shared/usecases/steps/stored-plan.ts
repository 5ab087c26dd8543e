// A bulk plan over users and ledgers as the store returns them (R10, R11), and the products the
// users hold, whose ledgers move when their licenses are removed or replaced.
import { type BulkPlan, type BulkRequest, planBulk } from "../../domain/bulk.js";
import type { SeatLedger, User } from "../../domain/model.js";
import { emptyLedger } from "../../domain/seats.js";
import type { Versioned } from "../ports.js";

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
