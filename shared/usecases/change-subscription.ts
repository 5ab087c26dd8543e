// Change a subscription's seats or status, or take a self-service one over (R5, R6). The product's
// ledger moves in the same commit; seats never fall below what is assigned.

import { refuseOnRecordsReadTogether, retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { Actor, Subscription, SubscriptionStatus } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { applySubscriptionChange, availableUnits } from "../domain/seats.js";
import type { Deps } from "./deps.js";
import type { PreconditionOption, TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { seatsFreed } from "./steps/seats-freed.js";
import { requireVersion, writtenVersion } from "./steps/versions.js";

export type SubscriptionChange =
  | {
      readonly kind: "update";
      readonly seats?: number | undefined;
      readonly status?: SubscriptionStatus | undefined;
    }
  | { readonly kind: "takeOver" };

export async function changeSubscription(
  deps: Deps,
  actor: Actor,
  subscriptionId: string,
  change: SubscriptionChange,
  options: PreconditionOption = {},
): Promise<Versioned<Subscription>> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  return tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getSubscription(tenantId, subscriptionId);
      if (!found) throw notFound(`Subscription ${subscriptionId}`);
      requireVersion(options.ifMatch, found.etag, `Subscription ${subscriptionId}`);
      const before = found.value;
      const after: Subscription =
        change.kind === "takeOver"
          ? // The buyers' seats become ordinary admin-managed assignments.
            { ...before, purchaseChannel: "Admin", selfServiceConsumed: 0 }
          : { ...before, seats: change.seats ?? before.seats, status: change.status ?? before.status };
      const stored = await store.getLedger(tenantId, before.skuId);
      if (!stored) throw new Error(`seat ledger of ${before.skuId} is missing for subscription ${before.id}`);
      const ledger = await refuseOnRecordsReadTogether(
        () => applySubscriptionChange(stored.value, before, after),
        async () => {
          // The subscription and the ledger were read one after the other: a refusal stands only if
          // neither moved since, so that both held at one moment.
          const [subscription, ledgerNow] = await Promise.all([
            store.getSubscription(tenantId, subscriptionId),
            store.getLedger(tenantId, before.skuId),
          ]);
          return subscription?.etag === found.etag && ledgerNow?.etag === stored.etag;
        },
      );
      const now = clock.now().toISOString();
      const action = change.kind === "takeOver" ? "takeOverSubscription" : "updateSubscription";
      const write: TenantWrite = { kind: "putSubscription", subscription: after, etag: found.etag };
      // More seats to assign while members of groups wait for them: they are served at once.
      const waitedFor =
        (ledger.waiting ?? 0) > 0 && availableUnits(ledger) > availableUnits(stored.value)
          ? [before.skuId]
          : [];
      const versions = await deps.outbox.commit(
        tenantId,
        [
          write,
          { kind: "putLedger", ledger, etag: stored.etag },
          auditWrite(deps, actor, now, action, `subscription/${before.id}`, before, after),
        ],
        seatsFreed(deps, tenantId, now, waitedFor),
      );
      return { value: after, etag: writtenVersion(versions, write) };
    }),
  );
}
