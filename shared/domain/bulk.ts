// Many users at once (R10, R11): what a bulk operation means for each user, and which users get
// seats when there are not enough for all. Pure: the same planning serves a dry run, a job chunk
// and the product-centric routes.
import { type LicenseChange, type LicenseToAdd, planLicenseChange } from "./license-change.js";
import type { JobResult, SeatLedger, User } from "./model.js";
import { ProblemError } from "./problem.js";
import { adminAvailable } from "./seats.js";

export type BulkOperation = "add" | "replace" | "remove" | "removeAll";

export interface BulkRequest {
  readonly operation: BulkOperation;
  readonly licenses: readonly LicenseToAdd[];
  /** Serve users in order until seats run out; the rest fail with CountViolation. */
  readonly allowPartial: boolean;
}

export type UserOutcome =
  | {
      readonly userId: string;
      readonly outcome: "Succeeded";
      readonly change: LicenseChange;
      readonly user: User;
    }
  | { readonly userId: string; readonly outcome: "Failed"; readonly code: string; readonly detail: string };

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
  const toAdd = request.licenses.filter(
    (l) => l.disabledPlans !== undefined || !held.has(l.skuId.toLowerCase()),
  );
  switch (request.operation) {
    case "add":
      return { addLicenses: toAdd, removeLicenses: [] };
    case "replace":
      return {
        addLicenses: toAdd,
        removeLicenses: user.assignedLicenses
          .map((l) => l.skuId)
          .filter((skuId) => !wanted.has(skuId.toLowerCase())),
      };
    case "remove":
      return { addLicenses: [], removeLicenses: request.licenses.map((l) => l.skuId) };
    case "removeAll":
      return { addLicenses: [], removeLicenses: user.assignedLicenses.map((l) => l.skuId) };
  }
}

const failed = (userId: string, code: string, detail: string): UserOutcome => ({
  userId,
  outcome: "Failed",
  code,
  detail,
});

export interface BulkPlan {
  readonly outcomes: readonly UserOutcome[];
  /** Seats taken (positive) or freed (negative) per product by the users that succeed. */
  readonly seatDelta: ReadonlyMap<string, number>;
}

/**
 * Plans a bulk operation for `userIds` in order. Each user's change is all-or-nothing and fails
 * alone (NotFound, conflicts, guests); seats are given in order while they last. Without
 * `allowPartial`, a user who would need a seat that is not there fails with CountViolation too
 * (the up-front check refuses such a request; this only happens when seats went meanwhile).
 */
export function planBulk(
  userIds: readonly string[],
  users: ReadonlyMap<string, User | undefined>,
  request: BulkRequest,
  ledgers: ReadonlyMap<string, SeatLedger>,
  context: {
    readonly mayLicenseGuests: boolean;
    readonly now: string;
    readonly selfServiceSubscriptionIds: ReadonlySet<string>;
  },
): BulkPlan {
  const left = new Map([...ledgers].map(([skuId, ledger]) => [skuId, adminAvailable(ledger)]));
  const seatDelta = new Map<string, number>();
  const outcomes: UserOutcome[] = [];
  for (const userId of userIds) {
    const user = users.get(userId);
    if (!user || user.deletedAt) {
      outcomes.push(failed(userId, "NotFound", `User ${userId} was not found.`));
      continue;
    }
    let change: LicenseChange;
    try {
      change = planLicenseChange({
        user,
        ...bulkChange(user, request),
        mayLicenseGuests: context.mayLicenseGuests,
        selfServiceSubscriptionIds: context.selfServiceSubscriptionIds,
        now: context.now,
        newPlanStatus: "PendingProvisioning",
      });
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      outcomes.push(failed(userId, error.code, error.detail));
      continue;
    }
    const short = [...change.seatDelta].filter(
      ([skuId, delta]) => delta > 0 && (left.get(skuId) ?? 0) < delta,
    );
    if (short.length > 0) {
      const detail = `No license of ${short.map(([skuId]) => skuId).join(", ")} was left for this user; buy more licenses.`;
      outcomes.push(failed(userId, "CountViolation", detail));
      continue;
    }
    for (const [skuId, delta] of change.seatDelta) {
      left.set(skuId, (left.get(skuId) ?? 0) - delta);
      seatDelta.set(skuId, (seatDelta.get(skuId) ?? 0) + delta);
    }
    outcomes.push({
      userId,
      outcome: "Succeeded",
      change,
      user: { ...user, assignedLicenses: change.assignedLicenses },
    });
  }
  return { outcomes, seatDelta };
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

/** What a job reports for one user. */
export function toJobResult(outcome: UserOutcome): JobResult {
  return outcome.outcome === "Succeeded"
    ? { userId: outcome.userId, outcome: "Succeeded" }
    : { userId: outcome.userId, outcome: "Failed", code: outcome.code, detail: outcome.detail };
}

export interface ProductUserResult {
  readonly userId: string;
  /** Unchanged: the user already held the product with these plans, or (unassign) did not hold it. */
  readonly outcome: "Succeeded" | "Unchanged" | "Failed";
  readonly code?: string;
  readonly detail?: string;
}

/** What a product-centric call reports for one user: a change, no change needed, or a failure. */
export function toProductUserResult(outcome: UserOutcome): ProductUserResult {
  if (outcome.outcome === "Failed") return toJobResult(outcome);
  const { added, removed, plansChanged } = outcome.change;
  const changed = added.length + removed.length + plansChanged.length > 0;
  return { userId: outcome.userId, outcome: changed ? "Succeeded" : "Unchanged" };
}
