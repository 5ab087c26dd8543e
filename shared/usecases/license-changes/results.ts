// What the many-user routes report for each user of a license-change round.
import type { ProductUserResult } from "../../domain/bulk.js";
import type { JobResult } from "../../domain/model.js";
import type { ProblemError } from "../../domain/problem.js";
import type { Decision } from "./decide.js";
import type { Outcome } from "./run.js";

/** A bulk job's line for one user: done (changed or nothing to do), or why not. */
export const jobResult = (userId: string, refusal: ProblemError | undefined): JobResult =>
  refusal
    ? { userId, outcome: "Failed", code: refusal.code, detail: refusal.detail }
    : { userId, outcome: "Succeeded" };

/** A product route's line for one user: a change, no change needed, or a failure. */
export const productUserResult = (userId: string, outcome: Outcome): ProductUserResult =>
  outcome.ok
    ? { userId, outcome: outcome.changed ? "Succeeded" : "Unchanged" }
    : jobResult(userId, outcome.error);

/**
 * A group job's line for one member: given, or held back and why (the member's entries of the
 * group say it). A member deleted or gone from the group meanwhile has nothing to be given.
 */
export function inheritResult(decision: Decision, groupId: string): JobResult {
  const { userId } = decision.request;
  if (decision.kind === "refused") {
    return decision.error.code === "NotFound"
      ? { userId, outcome: "Succeeded" }
      : jobResult(userId, decision.error);
  }
  const user = decision.kind === "changed" ? decision.after : decision.user.value;
  const held = (user.licenseSources ?? []).find((s) => s.groupId === groupId && s.error !== null);
  return held?.error
    ? {
        userId,
        outcome: "Failed",
        code: held.error,
        detail: `${held.error}: ${held.skuId} could not be given.`,
      }
    : { userId, outcome: "Succeeded" };
}
