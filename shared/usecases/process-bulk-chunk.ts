// The worker's side of a bulk job: applies one chunk's users in transactions of up to `groupSize`
// users. The chunk's progress commits in the same transaction as the users it records, guarded by
// the chunk's ETag, so a redelivered or concurrently delivered chunk never applies a user twice.

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { toJobResult } from "../domain/bulk.js";
import { EventRejected } from "../domain/event-rejected.js";
import type { Actor, BulkChunk, User } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { ConcurrencyConflict, maxActionsPerCommit, type Versioned } from "./ports.js";
import {
  actionsOf,
  buildUserChanges,
  plannedChanges,
  submitUserChanges,
} from "./steps/commit-user-changes.js";
import { readLedgers } from "./steps/license-writes.js";
import { selfServiceIds } from "./steps/self-service.js";
import { heldSkuIds, planStored } from "./steps/stored-plan.js";

/**
 * A user adding one license costs two actions (the user, a holder row): 45 leave room for ledgers,
 * chunk, audit and events. Users changing more licenses make a group smaller.
 */
export const groupSize = 45;

export async function processBulkChunk(
  deps: Deps,
  tenantId: string,
  jobId: string,
  index: number,
): Promise<boolean> {
  const { store, clock, tenantLock } = deps;
  const job = await store.getJob(tenantId, jobId);
  if (!job) throw new EventRejected("NotFound", `bulk job ${jobId} does not exist in tenant ${tenantId}.`);
  const actor: Actor = { tenantId, objectId: job.createdBy, roles: [] };
  const selfService = await selfServiceIds(store, tenantId);
  let applied = false;
  // The chunk's users in one range read, for each group's first try; a group that lost a race
  // re-reads its own users.
  let prefetched: Map<string, Versioned<User> | undefined> | undefined;

  for (;;) {
    const done = await retryOnConflict(async (tries) => {
      // Reads outside the tenant lock: the ETags of the chunk and the users guard the commit.
      const found = await store.getChunk(tenantId, jobId, index);
      if (!found) throw new EventRejected("NotFound", `chunk ${index} of bulk job ${jobId} does not exist.`);
      const chunk = found.value;
      if (chunk.completedAt) return true;
      const group = chunk.userIds.slice(chunk.results.length, chunk.results.length + groupSize);
      prefetched ??= await store.getUsers(tenantId, chunk.userIds.slice(chunk.results.length));
      const early = prefetched;
      const users =
        tries === 1 && group.every((id) => early.has(id))
          ? new Map(group.map((id) => [id, early.get(id)]))
          : await store.getUsers(tenantId, group);
      const skuIds = [...new Set([...job.licenses.map((l) => l.skuId), ...heldSkuIds(users)])];
      const cached = tries === 1;
      return tenantLock.run(tenantId, async () => {
        // Removals may free seats of products the request does not name: their ledgers too.
        const ledgers = await readLedgers(store, tenantId, skuIds, { cached });
        const now = clock.now().toISOString();
        const plan = planStored(group, users, job, ledgers, {
          mayLicenseGuests: job.mayLicenseGuests,
          now,
          selfServiceSubscriptionIds: selfService,
        });
        // A seat refusal decided on a cached ledger is re-checked on fresh counts first.
        if (cached && plan.outcomes.some((o) => o.outcome === "Failed" && o.code === "CountViolation")) {
          throw new ConcurrencyConflict("re-check seats on fresh counts");
        }
        const commitOf = (outcomes: typeof plan.outcomes) => {
          const all = [...chunk.results, ...outcomes.map(toJobResult)];
          const next: BulkChunk = {
            ...chunk,
            results: all,
            updatedAt: now,
            ...(all.length === chunk.userIds.length ? { completedAt: now } : {}),
          };
          const commit = buildUserChanges(deps, {
            actor,
            tenantId,
            changes: plannedChanges(outcomes, users),
            ledgers,
            extra: [{ kind: "putChunk", chunk: next, etag: found.etag }],
            now,
            audit: { action: `bulk:${job.operation}`, target: `job/${jobId}` },
            provision: true,
          });
          return { next, commit, actions: actionsOf(commit) };
        };
        // Users holding many licenses take more writes each: the group is cut to what fits one
        // transaction, and the rest start the next group.
        let outcomes = plan.outcomes;
        let attempt = commitOf(outcomes);
        while (attempt.actions > maxActionsPerCommit && outcomes.length > 1) {
          const fitting = Math.floor((outcomes.length * maxActionsPerCommit) / attempt.actions);
          outcomes = outcomes.slice(0, Math.max(1, fitting));
          attempt = commitOf(outcomes);
        }
        await submitUserChanges(deps, tenantId, attempt.commit);
        applied = true;
        return attempt.next.completedAt !== undefined;
      });
    });
    if (done) return applied;
  }
}
