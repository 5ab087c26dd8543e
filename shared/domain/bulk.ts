// Many users at once (R10, R11): what a bulk operation asks of each user, and the seats it needs up
// front. The license-change pipeline (shared/usecases/license-changes) decides each user's change.
import type { LicenseToAdd } from "./license-change.js";
import { directSkuIds } from "./license-sources.js";
import type { BulkChunk, User } from "./model.js";

export type BulkOperation = "add" | "replace" | "remove" | "removeAll";

export interface BulkRequest {
  readonly operation: BulkOperation;
  readonly licenses: readonly LicenseToAdd[];
  /** Serve users in order until seats run out; the rest fail with CountViolation. */
  readonly allowPartial: boolean;
}

/**
 * The assignLicense request a bulk operation makes of one user. A license given without
 * `disabledPlans` leaves the plans of a user who already holds it as they are.
 */
export function bulkChange(
  user: User,
  request: Pick<BulkRequest, "operation" | "licenses">,
): { addLicenses: readonly LicenseToAdd[]; removeLicenses: readonly string[] } {
  const wanted = new Set(request.licenses.map((l) => l.skuId.toLowerCase()));
  const held = new Set(user.assignedLicenses.map((l) => l.skuId.toLowerCase()));
  // What groups give stays theirs: replace and removeAll take only direct assignments.
  const direct = directSkuIds(user);
  const toAdd = request.licenses.filter(
    (l) => l.disabledPlans !== undefined || !held.has(l.skuId.toLowerCase()),
  );
  switch (request.operation) {
    case "add":
      return { addLicenses: toAdd, removeLicenses: [] };
    case "replace":
      return {
        addLicenses: toAdd,
        removeLicenses: direct.filter((skuId) => !wanted.has(skuId.toLowerCase())),
      };
    case "remove":
      return { addLicenses: [], removeLicenses: request.licenses.map((l) => l.skuId) };
    case "removeAll":
      return { addLicenses: [], removeLicenses: direct };
  }
}

/** Seats a request needs per product beyond what users already hold, for the up-front check. */
export function seatsNeeded(
  userIds: readonly string[],
  existing: ReadonlySet<string>,
  holders: ReadonlyMap<string, ReadonlySet<string>>,
  request: Pick<BulkRequest, "operation" | "licenses">,
): Map<string, number> {
  const needed = new Map<string, number>();
  if (request.operation !== "add" && request.operation !== "replace") return needed;
  for (const { skuId } of request.licenses) {
    const holding = holders.get(skuId) ?? new Set<string>();
    needed.set(skuId, userIds.filter((id) => existing.has(id) && !holding.has(id)).length);
  }
  return needed;
}

export interface ProductUserResult {
  readonly userId: string;
  /** Unchanged: the user already held the product with these plans, or (unassign) did not hold it. */
  readonly outcome: "Succeeded" | "Unchanged" | "Failed";
  readonly code?: string;
  readonly detail?: string;
}

/** How far a chunk is: users processed, of them failed, and when it finished. */
export function chunkProgress(chunk: BulkChunk): {
  readonly processed: number;
  readonly failed: number;
  readonly completedAt?: string;
} {
  return {
    processed: chunk.results.length,
    failed: chunk.results.filter((r) => r.outcome === "Failed").length,
    ...(chunk.completedAt ? { completedAt: chunk.completedAt } : {}),
  };
}
