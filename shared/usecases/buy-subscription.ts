// Buy licenses: a new subscription adds its seats to the product's ledger (R5).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { requireProduct } from "../domain/license-change.js";
import type { Actor, PurchaseChannel, Subscription } from "../domain/model.js";
import { applySubscriptionChange, emptyLedger } from "../domain/seats.js";
import type { Deps } from "./deps.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { seatsFreed } from "./steps/seats-freed.js";
import { writtenVersion } from "./steps/versions.js";

export interface BuySubscriptionInput {
  readonly skuId: string;
  readonly seats: number;
  readonly purchaseChannel: PurchaseChannel;
  /** Seats already held by the self-service buyers (seeding only). */
  readonly selfServiceConsumed?: number;
}

export async function buySubscription(
  deps: Deps,
  actor: Actor,
  input: BuySubscriptionInput,
): Promise<Versioned<Subscription>> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  const product = requireProduct(input.skuId);
  const id = deps.newId();
  return tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const stored = await store.getLedger(tenantId, product.skuId);
      const now = clock.now().toISOString();
      const subscription: Subscription = {
        id,
        skuId: product.skuId,
        seats: input.seats,
        status: "Enabled",
        purchaseChannel: input.purchaseChannel,
        createdAt: now,
        selfServiceConsumed: input.selfServiceConsumed ?? 0,
      };
      const ledger = applySubscriptionChange(
        stored?.value ?? emptyLedger(product.skuId),
        undefined,
        subscription,
      );
      const write: TenantWrite = { kind: "putSubscription", subscription };
      // Members of groups may wait for this product's seats (even before it was first bought).
      const waiting =
        input.purchaseChannel === "Admin" &&
        (await store.listLicenseErrors(tenantId)).some(
          (e) => e.error === "CountViolation" && e.skuIds.includes(product.skuId),
        );
      const versions = await deps.outbox.commit(
        tenantId,
        [
          write,
          stored ? { kind: "putLedger", ledger, etag: stored.etag } : { kind: "putLedger", ledger },
          auditWrite(deps, actor, now, "buySubscription", `subscription/${id}`, null, subscription),
        ],
        waiting ? seatsFreed(deps, tenantId, now, [product.skuId]) : [],
      );
      return { value: subscription, etag: writtenVersion(versions, write) };
    }),
  );
}
