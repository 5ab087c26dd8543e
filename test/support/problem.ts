// The ProblemError an action throws, for asserting on its code and detail.
import { ProblemError } from "../../shared/domain/problem.js";

export function problemFrom(action: () => unknown): ProblemError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected a ProblemError, but nothing was thrown");
}
