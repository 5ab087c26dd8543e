// POST /api/licenses/bulk (R10): checks seats up front, records the job and its chunks, and queues
// one message per chunk through the outbox, all before answering 202. A dry run answers what would
// happen instead. An Idempotency-Key makes a repeated submission return the first job.
import { createHash } from "node:crypto";
import { type BulkOperation, bulkChange } from "../domain/bulk.js";
import { cloudEvent } from "../domain/events.js";
import { checkedLicensesToAdd, type LicenseToAdd } from "../domain/license-change.js";
import type { Actor, BulkChunk, BulkJob, JobResult, User } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import { jobResult } from "./license-changes/results.js";
import { changeLicenses } from "./license-changes/run.js";
import { maxActionsPerCommit, type TenantWrite, type WrittenVersions } from "./ports.js";
import { groupSize } from "./process-bulk-chunk.js";
import { checkSeatsUpFront, type SeatPreview } from "./steps/seats-up-front.js";

/** Four full rounds of the worker (`groupSize` users a transaction) a chunk. */
export const chunkSize = 4 * groupSize;

/**
 * The request's licenses with Microsoft's spelling of each id, refused up front as assignLicense
 * would refuse them (duplicates and unknown service plans 400, unknown products 404), so that a job
 * never starts only for every user to fail.
 */
export function canonicalLicenses(
  licenses: readonly LicenseToAdd[],
): { skuId: string; disabledPlans: string[] }[] {
  return checkedLicensesToAdd(licenses, "licenses");
}

export interface BulkSubmission {
  readonly userIds: readonly string[];
  readonly operation: BulkOperation;
  readonly licenses: readonly { readonly skuId: string; readonly disabledPlans?: readonly string[] }[];
  readonly allowPartial: boolean;
}

export type SubmitResult =
  | { readonly kind: "created" | "existing"; readonly jobId: string }
  | {
      readonly kind: "preview";
      readonly seats: readonly SeatPreview[];
      readonly users: readonly JobResult[];
    };

const sha256 = (text: string): string => createHash("sha256").update(text).digest("base64url");

export async function submitBulkJob(
  deps: Deps,
  actor: Actor,
  submission: BulkSubmission,
  options: { readonly idempotencyKey?: string; readonly dryRun: boolean; readonly retryOf?: string },
): Promise<SubmitResult> {
  const { store, clock } = deps;
  const tenantId = actor.tenantId;
  const licenses = canonicalLicenses(submission.licenses);
  const request = { operation: submission.operation, licenses, allowPartial: submission.allowPartial };
  const keyHash = options.idempotencyKey ? sha256(`${tenantId}|${options.idempotencyKey}`) : undefined;
  const requestHash = sha256(JSON.stringify({ ...request, userIds: submission.userIds }));

  const earlier = async (): Promise<SubmitResult | undefined> => {
    if (!keyHash) return undefined;
    const found = await store.getIdempotencyKey(tenantId, keyHash);
    if (!found) return undefined;
    if (found.requestHash !== requestHash) {
      throw new ProblemError(
        "Conflict",
        "This Idempotency-Key was used for a different request; use a new key for a new request.",
      );
    }
    return { kind: "existing", jobId: found.jobId };
  };
  if (!options.dryRun) {
    const first = await earlier();
    if (first) return first;
  }

  const seats = await checkSeatsUpFront(store, tenantId, submission.userIds, request, { refuse: true });
  const now = clock.now().toISOString();
  const mayLicenseGuests = hasRight(actor.roles, "licenseGuests");

  if (options.dryRun) {
    // What each user would get, decided as the job's chunks will decide it.
    const preview = await changeLicenses(
      deps,
      tenantId,
      submission.userIds.map((userId) => ({
        userId,
        actor,
        mayLicenseGuests,
        wanted: (user: User) => bulkChange(user, request),
      })),
      {
        audit: { per: "transaction", action: "bulk", target: "preview" },
        events: "batched",
        provision: "full",
        dryRun: true,
      },
    );
    return {
      kind: "preview",
      seats,
      users: preview.map((o, i) => jobResult(submission.userIds[i] ?? "", o.ok ? undefined : o.error)),
    };
  }

  const job: BulkJob = {
    id: deps.newId(),
    operation: submission.operation,
    licenses,
    allowPartial: submission.allowPartial,
    total: submission.userIds.length,
    chunkCount: Math.ceil(submission.userIds.length / chunkSize),
    createdAt: now,
    createdBy: actor.objectId,
    mayLicenseGuests,
    ...(options.retryOf ? { retryOf: options.retryOf } : {}),
  };
  // With allowPartial the request's order decides who gets the last seats, so it is kept. Otherwise
  // the seats were checked up front and the ids go in key order: each chunk's users then lie close
  // together, and one range query reads them instead of one read per user.
  const ordered = request.allowPartial ? submission.userIds : [...submission.userIds].sort();
  try {
    await startJob(
      deps,
      tenantId,
      job,
      ordered,
      keyHash ? [{ kind: "createIdempotencyKey", keyHash, jobId: job.id, requestHash }] : [],
    );
  } catch (error) {
    // The same key submitted twice at once: the other submission created the job.
    const first = await earlier();
    if (first) return first;
    throw error;
  }
  return { kind: "created", jobId: job.id };
}

/**
 * Starts a job on users in the order given, `chunkSize` to a chunk: the chunks and the job's entry
 * in the watchdog's index first (harmless if the job never commits), then the job with `writes`
 * (its key, its group) and one message per chunk, in one commit. Answers that commit's versions.
 */
export async function startJob(
  deps: Deps,
  tenantId: string,
  job: BulkJob,
  userIds: readonly string[],
  writes: readonly TenantWrite[],
): Promise<WrittenVersions> {
  const now = job.createdAt;
  const chunks: BulkChunk[] = Array.from({ length: job.chunkCount }, (_, index) => ({
    jobId: job.id,
    index,
    userIds: userIds.slice(index * chunkSize, (index + 1) * chunkSize),
    results: [],
    updatedAt: now,
  }));
  await deps.unfinishedJobs.add({ tenantId, jobId: job.id, createdAt: now });
  for (let i = 0; i < chunks.length; i += maxActionsPerCommit) {
    await deps.store.commit(
      tenantId,
      chunks.slice(i, i + maxActionsPerCommit).map((chunk) => ({ kind: "putChunk" as const, chunk })),
    );
  }
  const messages = chunks.map((chunk) =>
    cloudEvent("bulk.chunkRequested", deps.newId(), now, `jobs/${job.id}`, {
      tenantId,
      jobId: job.id,
      chunk: chunk.index,
    }),
  );
  return deps.outbox.commit(tenantId, [{ kind: "createJob", job }, ...writes], messages);
}
