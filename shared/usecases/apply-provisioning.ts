// The worker's side of R17–R19: bring a user's mailbox, team site permission, Skype/Teams features
// and Office entitlement in line with their licenses, then mark the plans Success. Idempotent: a
// second delivery of the same event finds nothing to change and writes nothing.

import { GroupCommit } from "../concurrency/group-commit.js";
import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { User } from "../domain/model.js";
import { reconcileProvisioning } from "../domain/provisioning.js";
import { type Deps, type ProvisioningBatcher, type ProvisioningRequest, userLockKey } from "./deps.js";
import { ConcurrencyConflict, type Versioned } from "./ports.js";
import { provisioningAudit } from "./steps/provisioning-commits.js";
import { scheduleRetention } from "./steps/schedule-retention.js";

/** What provisioning works with: everything but the batcher, which is built from it. */
export type ProvisioningDeps = Omit<Deps, "provisioning">;

/**
 * Returns whether anything changed. `changedAt` is when the licenses changed (the event's time):
 * a retention that starts now runs from then, not from when the queue got round to it.
 */
export async function applyProvisioning(
  deps: ProvisioningDeps,
  tenantId: string,
  userId: string,
  changedAt?: Date,
): Promise<boolean> {
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(userLockKey(tenantId, userId), () =>
    retryOnConflict(async (tries) => {
      // First from this process's cache (the request that emitted the event usually ran here):
      // a stale copy fails its commit, and "nothing to change" is only believed of a fresh read.
      const cached = tries === 1;
      const found = await store.getUser(tenantId, userId, { cached });
      if (!found) return false;
      const before = found.value;
      const now = clock.now();
      const after: User = reconcileProvisioning(before, {
        now: changedAt ?? now,
        retentionPeriodMs: deps.retentionPeriodMs,
        newId: deps.newId,
      });
      if (JSON.stringify(after) === JSON.stringify(before)) {
        if (cached) throw new ConcurrencyConflict("confirm on a fresh read that nothing is left to do");
        return false;
      }
      await scheduleRetention(deps.retention, tenantId, [{ before, after }]);
      await store.commit(tenantId, [
        { kind: "updateUser", user: after, etag: found.etag },
        provisioningAudit(deps, tenantId, now, [{ before, after }]),
      ]);
      return true;
    }),
  );
}

const later = (a: Date | undefined, b: Date | undefined): Date | undefined =>
  a === undefined ? b : b === undefined || a >= b ? a : b;

/**
 * Provisions many users of a tenant (a bulk job's batched events, or single events gathered by the
 * group commit): reconciles each, then commits the changed ones in transactions of up to 90 users.
 * A group that loses a race is redone user by user. Returns the ids of the users that changed.
 */
export async function applyProvisioningMany(
  deps: ProvisioningDeps,
  tenantId: string,
  requests: readonly ProvisioningRequest[],
): Promise<ReadonlySet<string>> {
  const { store, clock } = deps;
  const now = clock.now();
  // A user asked for twice is reconciled once, from the later change: their current licenses date from it.
  const changedAt = new Map<string, Date | undefined>();
  for (const { userId, changedAt: at } of requests) changedAt.set(userId, later(changedAt.get(userId), at));
  const userIds = [...changedAt.keys()];
  const reconcile = (found: Versioned<User>) => {
    const after = reconcileProvisioning(found.value, {
      now: changedAt.get(found.value.id) ?? now,
      retentionPeriodMs: deps.retentionPeriodMs,
      newId: deps.newId,
    });
    return JSON.stringify(after) === JSON.stringify(found.value) ? undefined : { found, after };
  };
  // The users this process just wrote (an assignment) come from its cache with their ETags: a stale
  // copy fails its commit and is redone fresh. The others, and any "nothing to change" (only
  // believed of fresh copies), are read together.
  const cached = userIds.map((id) => store.cachedUser(tenantId, id));
  const unsure = userIds.filter((_, i) => {
    const found = cached[i];
    return found === undefined || reconcile(found) === undefined;
  });
  const fresh = [...(await store.getUsers(tenantId, unsure)).values()];
  const changed = [...cached, ...fresh].flatMap((found) => {
    const planned = found && reconcile(found);
    return planned ? [planned] : [];
  });
  const applied = new Set<string>();
  // 90 user updates and one audit line (every user's provisioning before and after) a transaction.
  for (let i = 0; i < changed.length; i += 90) {
    const group = changed.slice(i, i + 90);
    try {
      await scheduleRetention(
        deps.retention,
        tenantId,
        group.map(({ found, after }) => ({ before: found.value, after })),
      );
      await store.commit(tenantId, [
        ...group.map(({ found, after }) => ({ kind: "updateUser" as const, user: after, etag: found.etag })),
        provisioningAudit(
          deps,
          tenantId,
          now,
          group.map(({ found, after }) => ({ before: found.value, after })),
        ),
      ]);
      for (const { after } of group) applied.add(after.id);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      for (const { after } of group) {
        if (await applyProvisioning(deps, tenantId, after.id, changedAt.get(after.id))) applied.add(after.id);
      }
    }
  }
  return applied;
}

/**
 * Provisions single users in batches per tenant (`deps.provisioning`): a user's provisioning waits
 * up to 20 ms for others of its tenant, so a burst of assignments costs one transaction per batch
 * instead of one each, for 20 ms more before Success. A batch goes at once when it holds
 * `concurrency` requests (as many queue messages as the instance handles at a time): no more can come.
 */
export function createProvisioningBatcher(deps: ProvisioningDeps, concurrency: number): ProvisioningBatcher {
  return new GroupCommit<ProvisioningRequest, boolean>(
    async (tenantId, requests) => {
      const changed = await applyProvisioningMany(deps, tenantId, requests);
      return requests.map(({ userId }) => changed.has(userId));
    },
    { lingerMs: 20, maxItems: concurrency },
  );
}
