// What the many-user routes report for each user of a license-change round.
import type { ProductUserResult } from "../../domain/bulk.js";
import type { JobResult } from "../../domain/model.js";
import type { ProblemError } from "../../domain/problem.js";
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
