// The worker's side of a bulk job: applies one chunk's users in transactions of up to `groupSize`
// users. The chunk's progress commits in the same transaction as the users it records, guarded by
// the chunk's ETag, so a redelivered or concurrently delivered chunk never applies a user twice.

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { type BulkOperation, bulkChange } from "../domain/bulk.js";
import { EventRejected } from "../domain/event-rejected.js";
import type { Actor, BulkChunk, BulkJob, User } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { type Decision, type LicenseRequest, noDirectChange } from "./license-changes/decide.js";
import { inheritResult, jobResult } from "./license-changes/results.js";
import { attemptRound } from "./license-changes/run.js";
import type { TenantWrite, Versioned } from "./ports.js";

/**
 * Users a round takes at most: a user adding one license costs two actions (the user, a holder
 * row), so 47 leave room for the ledger, the chunk, the audit and provisioning lines and the event;
 * the pipeline takes fewer when users change more licenses.
 */
export const groupSize = 47;

/** How a bulk job's changes are recorded: one audit line per transaction, events naming its users. */
const style = (job: BulkJob) =>
  ({
    audit: job.group
      ? ({ per: "transaction", action: "group:inheritLicenses", target: `group/${job.group.id}` } as const)
      : ({ per: "transaction", action: `bulk:${job.operation}`, target: `job/${job.id}` } as const),
    events: "batched",
    // Provisioned in the same transaction: nothing is left for the worker.
    provision: "full",
  }) as const;

export async function processBulkChunk(
  deps: Deps,
  tenantId: string,
  jobId: string,
  index: number,
): Promise<boolean> {
  const { store, tenantLock } = deps;
  const job = await store.getJob(tenantId, jobId);
  if (!job) throw new EventRejected("NotFound", `bulk job ${jobId} does not exist in tenant ${tenantId}.`);
  const actor: Actor = { tenantId, objectId: job.createdBy, roles: [] };
  const { group } = job;
  const request = (userId: string): LicenseRequest =>
    group
      ? {
          userId,
          actor,
          mayLicenseGuests: job.mayLicenseGuests,
          wanted: noDirectChange,
          grants: [
            {
              groupId: group.id,
              version: group.version,
              mayLicenseGuests: job.mayLicenseGuests,
              licenses: job.licenses,
            },
          ],
        }
      : {
          userId,
          actor,
          mayLicenseGuests: job.mayLicenseGuests,
          wanted: (user) =>
            bulkChange(user, { operation: job.operation as BulkOperation, licenses: job.licenses }),
        };
  const resultOf = (d: Decision) =>
    group
      ? inheritResult(d, group.id)
      : jobResult(d.request.userId, d.kind === "refused" ? d.error : undefined);
  let applied = false;
  // The chunk's users in one range read, for each round's first try: as good as cached copies
  // (their ETags guard each commit, and what is not committed is confirmed). A round that lost a
  // race reads its own users again.
  let prefetched: Map<string, Versioned<User> | undefined> | undefined;
  // The chunk as this worker's last round wrote it: the next round's first try starts from it (its
  // ETag guards the commit, as a read's would), and saves a read of the chunk a round.
  let written: Versioned<BulkChunk> | undefined;

  for (;;) {
    const done = await retryOnConflict(async (tries) => {
      // Reads outside the tenant lock: the ETags of the chunk and the users guard the commit.
      const found = tries === 1 && written ? written : await store.getChunk(tenantId, jobId, index);
      if (!found) throw new EventRejected("NotFound", `chunk ${index} of bulk job ${jobId} does not exist.`);
      const chunk = found.value;
      if (chunk.completedAt) return true;
      const rest = chunk.userIds.slice(chunk.results.length);
      prefetched ??= await store.getUsers(tenantId, rest);
      const next = (decided: readonly Decision[], now: string): BulkChunk => {
        const results = [...chunk.results, ...decided.map(resultOf)];
        return {
          ...chunk,
          results,
          updatedAt: now,
          ...(results.length === chunk.userIds.length ? { completedAt: now } : {}),
        };
      };
      return tenantLock.run(tenantId, async () => {
        const now = deps.clock.now().toISOString();
        let write: Extract<TenantWrite, { kind: "putChunk" }> | undefined;
        const round = await attemptRound(deps, tenantId, rest.slice(0, groupSize).map(request), {
          ...style(job),
          cached: tries === 1,
          users: tries === 1 ? prefetched : undefined,
          // The chunk's progress commits with the users it records, guarded by the chunk's ETag.
          extra: (decided) => {
            write = { kind: "putChunk", chunk: next(decided, now), etag: found.etag };
            return [write];
          },
        });
        applied = true;
        const etag = write && round.versions.get(write);
        written = write && etag ? { value: write.chunk, etag } : undefined;
        return write?.chunk.completedAt !== undefined;
      });
    });
    if (done) return applied;
  }
}
