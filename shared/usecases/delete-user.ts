// Delete a user: every seat they held is freed at once (R20).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { cloudEvent } from "../domain/events.js";
import { groupErrors, sourcesOf } from "../domain/license-sources.js";
import type { Actor, Subscription } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { withdrawProvisioning } from "../domain/provisioning.js";
import { retainedUntil } from "../domain/retention.js";
import type { Deps } from "./deps.js";
import { readLedgers } from "./license-changes/reads.js";
import type { PreconditionOption, TenantWrite } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { scheduleRetention } from "./steps/schedule-retention.js";
import { seatsFreed } from "./steps/seats-freed.js";
import { requireVersion } from "./steps/versions.js";

export async function deleteUser(
  deps: Deps,
  actor: Actor,
  userId: string,
  options: PreconditionOption = {},
): Promise<void> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  await tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getUser(tenantId, userId);
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      requireVersion(options.ifMatch, found.etag, `User ${userId}`);
      const before = found.value;
      const licenses = before.assignedLicenses;
      const ledgers = await readLedgers(
        store,
        tenantId,
        licenses.map((l) => l.skuId),
      );
      const now = clock.now().toISOString();
      const writes: TenantWrite[] = [];
      // Products whose freed seats members of groups wait for.
      const waitedFor: string[] = [];
      for (const license of licenses) {
        const stored = ledgers.get(license.skuId);
        if (!stored) throw new Error(`seat ledger of ${license.skuId} is missing for a held license`);
        let selfService = 0;
        if (license.viaSubscriptionId) {
          const subscription = await store.getSubscription(tenantId, license.viaSubscriptionId);
          if (subscription?.value.purchaseChannel === "SelfService") {
            // The user's own purchase ends with them: its seat is freed on the subscription too.
            selfService = 1;
            const next: Subscription = {
              ...subscription.value,
              selfServiceConsumed: subscription.value.selfServiceConsumed - 1,
            };
            writes.push({ kind: "putSubscription", subscription: next, etag: subscription.etag });
          }
        }
        const ledger = stored.value;
        if ((ledger.waiting ?? 0) > 0) waitedFor.push(license.skuId);
        writes.push({
          kind: "putLedger",
          ledger: {
            ...ledger,
            consumed: ledger.consumed - 1,
            consumedSelfService: ledger.consumedSelfService - selfService,
          },
          etag: stored.etag,
        });
        writes.push({ kind: "removeHolder", skuId: license.skuId, userId });
      }
      // The user and all their data are kept for the retention period, restorable until then (R20).
      // Their mailbox is Retained and their access goes in the same transaction (R18).
      // The user stays a member of their groups, so a restore inherits again; what the groups gave
      // goes now, and so does their place among the members in error.
      const { licenseSources: _sources, ...kept } = before;
      for (const groupId of groupErrors(sourcesOf(before)).keys()) {
        writes.push({ kind: "removeLicenseError", groupId, userId });
      }
      const after = withdrawProvisioning(
        {
          ...kept,
          assignedLicenses: [],
          deletedAt: now,
          retainedUntil: retainedUntil(new Date(now), deps.retentionPeriodMs),
        },
        { now: new Date(now), retentionPeriodMs: deps.retentionPeriodMs },
      );
      writes.unshift({ kind: "updateUser", user: after, etag: found.etag });
      writes.push(auditWrite(deps, actor, now, "deleteUser", `user/${userId}`, before, after));
      const deleted = cloudEvent("user.deleted", deps.newId(), now, `users/${userId}`, {
        tenantId,
        userId,
        freedSkuIds: licenses.map((l) => l.skuId),
      });
      await scheduleRetention(deps.retention, tenantId, [{ before, after }]);
      await deps.outbox.commit(tenantId, writes, [deleted, ...seatsFreed(deps, tenantId, now, waitedFor)]);
    }),
  );
}
