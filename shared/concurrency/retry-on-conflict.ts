// Optimistic concurrency: re-run read → decide → conditional commit when another writer won.
import { ProblemError } from "../domain/problem.js";
import { ConcurrencyConflict } from "../usecases/ports.js";

const maxAttempts = 12;

/** Runs `attempt(1)`, `attempt(2)`, … while it throws ConcurrencyConflict, up to a bound. */
export async function retryOnConflict<T>(attempt: (tries: number) => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt(tries);
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
      if (tries >= maxAttempts) {
        throw new ProblemError(
          "TooManyRequests",
          "The records this request changes are being changed by many other requests; retry shortly.",
          undefined,
          { "Retry-After": "1" },
        );
      }
      // The first retry goes at once (often it only refreshes a cached ledger); later ones back off
      // with full jitter, capped, to spread competing writers apart without waiting long.
      if (tries === 1) continue;
      const ceiling = Math.min(200, 5 * 2 ** tries);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/**
 * A refusal decided on records read one after another stands only when they held together: when
 * `decide` refuses (a caller's mistake), `unmoved` reads them again and a record that moved since
 * turns the refusal into a conflict, so the retry decides again on fresh reads.
 */
export async function refuseOnRecordsReadTogether<T>(
  decide: () => T,
  unmoved: () => Promise<boolean>,
): Promise<T> {
  try {
    return decide();
  } catch (error) {
    if (error instanceof ProblemError && error.isCallersMistake && !(await unmoved())) {
      throw new ConcurrencyConflict("a refusal was decided on records that moved; decide again");
    }
    throw error;
  }
}
