// The product-centric view (R11): assign one product to, or take it from, a list of users at once,
// synchronously, with a result per user. Seats are checked for the whole list first (R14); each
// user's change is all-or-nothing and fails alone.

import { bulkChange, type ProductUserResult } from "../domain/bulk.js";
import { checkedDisabledPlans, type LicenseToAdd, requireProduct } from "../domain/license-change.js";
import type { Actor } from "../domain/model.js";
import { hasRight } from "../domain/roles.js";
import { emptyLedger, ensureSeats } from "../domain/seats.js";
import type { Deps } from "./deps.js";
import type { LicenseRequest } from "./license-changes/decide.js";
import { productUserResult } from "./license-changes/results.js";
import { changeLicenses, type Outcome, type RoundOptions } from "./license-changes/run.js";

export async function assignProductUsers(
  deps: Deps,
  actor: Actor,
  input: {
    readonly skuId: string;
    readonly userIds: readonly string[];
    readonly operation: "add" | "remove";
    readonly disabledPlans?: readonly string[] | undefined;
  },
): Promise<ProductUserResult[]> {
  const { tenantLock } = deps;
  const tenantId = actor.tenantId;
  const product = requireProduct(input.skuId);
  // Without disabledPlans, users who hold the product keep their plans (bulkChange).
  const license: LicenseToAdd =
    input.disabledPlans === undefined
      ? { skuId: product.skuId }
      : {
          skuId: product.skuId,
          disabledPlans: checkedDisabledPlans(product, input.disabledPlans, "disabledPlans"),
        };
  const request = { operation: input.operation, licenses: [license], allowPartial: true } as const;
  const requests = input.userIds.map(
    (userId): LicenseRequest => ({
      userId,
      actor,
      mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
      wanted: (user) => bulkChange(user, request),
    }),
  );
  const style: RoundOptions = {
    audit: { per: "transaction", action: `product:${input.operation}`, target: `sku/${license.skuId}` },
    events: "batched",
    provision: "withdraw",
  };
  // Seats for the whole list first (R14): when a dry run finds users without one, nobody gets one.
  // One that goes meanwhile fails its user alone.
  if (input.operation === "add") {
    ensureSeatsForAll(
      license.skuId,
      await changeLicenses(deps, tenantId, requests, { ...style, dryRun: true }),
    );
  }
  const outcomes = await tenantLock.run(tenantId, () => changeLicenses(deps, tenantId, requests, style));
  return outcomes.map((outcome, i) => productUserResult(input.userIds[i] ?? "", outcome));
}

/**
 * Refuses the whole list with CountViolation, naming how many seats it lacks, when the dry run gave
 * some user no seat: the seats available are those before the first user who took one (none when
 * nobody could). Seats only a self-service subscription holds refuse it as SelfServiceSubscription.
 */
function ensureSeatsForAll(skuId: string, preview: readonly Outcome[]): void {
  const refusals = preview.flatMap((o) => (o.ok ? [] : [o.error]));
  const short = refusals.filter((e) => e.code === "CountViolation").length;
  const selfService = refusals.find((e) => e.code === "SelfServiceSubscription");
  if (short === 0 && selfService) throw selfService;
  if (short === 0) return;
  const taken = preview.flatMap((o) =>
    o.ok ? o.seatChanges.filter((c) => c.skuId === skuId && c.delta > 0) : [],
  );
  const available = Math.max(0, taken[0]?.availableBefore ?? 0);
  ensureSeats([
    { ledger: { ...emptyLedger(skuId), enabledAdmin: available }, requested: taken.length + short },
  ]);
}
