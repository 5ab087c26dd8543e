// The worker's side of R17–R19: bring a user's mailbox, team site permission, Skype/Teams features
// and Office entitlement in line with their licenses, then mark the plans Success. Idempotent: a
// second delivery of the same event finds nothing to change and writes nothing.
import type { Actor, User } from "../domain/model.js";
import { reconcileProvisioning } from "../domain/provisioning.js";
import { auditWrite } from "./audit.js";
import { type Deps, userLockKey } from "./deps.js";
import { retryOnConflict } from "./retry-on-conflict.js";
import { scheduleRetention } from "./schedule-retention.js";

export const systemActor = (tenantId: string, objectId = "provisioning-worker"): Actor => ({
  tenantId,
  objectId,
  roles: [],
});

/**
 * Returns whether anything changed. `changedAt` is when the licenses changed (the event's time):
 * a retention that starts now runs from then, not from when the queue got round to it.
 */
export async function applyProvisioning(
  deps: Deps,
  tenantId: string,
  userId: string,
  changedAt?: Date,
): Promise<boolean> {
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(userLockKey(tenantId, userId), () =>
    retryOnConflict(async () => {
      const found = await store.getUser(tenantId, userId);
      if (!found) return false;
      const before = found.value;
      const now = clock.now();
      const after: User = reconcileProvisioning(before, {
        now: changedAt ?? now,
        retentionPeriodMs: deps.retentionPeriodMs,
        newId: deps.newId,
      });
      if (JSON.stringify(after) === JSON.stringify(before)) return false;
      await scheduleRetention(store, tenantId, before, after);
      await store.commit(tenantId, [
        { kind: "updateUser", user: after, etag: found.etag },
        auditWrite(
          deps,
          systemActor(tenantId),
          now.toISOString(),
          "provision",
          `user/${userId}`,
          before.provisioning,
          after.provisioning,
        ),
      ]);
      return true;
    }),
  );
}
