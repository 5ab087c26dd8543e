// The product-centric view (R11): assign one product to, or take it from, a list of users at once,
// synchronously, with a result per user. Seats are checked for the whole list first (R14); each
// user's change is all-or-nothing and fails alone.

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { type ProductUserResult, toProductUserResult } from "../domain/bulk.js";
import { checkedDisabledPlans, type LicenseToAdd, requireProduct } from "../domain/license-change.js";
import type { Actor } from "../domain/model.js";
import { hasRight } from "../domain/roles.js";
import { emptyLedger, ensureSeats } from "../domain/seats.js";
import type { Deps } from "./deps.js";
import { commitUserChanges, plannedChanges } from "./steps/commit-user-changes.js";
import { readLedgers } from "./steps/license-writes.js";
import { selfServiceIds } from "./steps/self-service.js";
import { heldSkuIds, planStored } from "./steps/stored-plan.js";

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
  const { store, clock, tenantLock } = deps;
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
  // Seats for the whole list are checked first (R14); one that goes meanwhile fails its user alone.
  const request = { operation: input.operation, licenses: [license], allowPartial: true } as const;
  if (input.operation === "add") {
    const [needed, ledger] = await Promise.all([
      seatsForAll(deps, tenantId, input.userIds, license.skuId),
      store.getLedger(tenantId, license.skuId),
    ]);
    ensureSeats([{ ledger: ledger?.value ?? emptyLedger(license.skuId), requested: needed }]);
  }
  const selfService = await selfServiceIds(store, tenantId);
  const results: ProductUserResult[] = [];

  for (let i = 0; i < input.userIds.length; i += 20) {
    const group = input.userIds.slice(i, i + 20);
    const outcome = await tenantLock.run(tenantId, () =>
      retryOnConflict(async () => {
        const users = await store.getUsers(tenantId, group);
        const ledgers = await readLedgers(store, tenantId, [license.skuId, ...heldSkuIds(users)]);
        const now = clock.now().toISOString();
        const plan = planStored(group, users, request, ledgers, {
          mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
          now,
          selfServiceSubscriptionIds: selfService,
        });
        await commitUserChanges(deps, {
          actor,
          tenantId,
          changes: plannedChanges(plan.outcomes, users),
          ledgers,
          extra: [],
          now,
          audit: { action: `product:${input.operation}`, target: `sku/${license.skuId}` },
        });
        return plan.outcomes.map(toProductUserResult);
      }),
    );
    results.push(...outcome);
  }
  return results;
}

async function seatsForAll(
  deps: Deps,
  tenantId: string,
  userIds: readonly string[],
  skuId: string,
): Promise<number> {
  const users = await deps.store.getUsers(tenantId, userIds);
  return [...users.values()].filter(
    (u) => u && !u.value.deletedAt && !u.value.assignedLicenses.some((l) => l.skuId === skuId),
  ).length;
}
