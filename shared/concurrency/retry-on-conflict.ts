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
 * A refusal decided on cached records is not trusted: another process may have freed seats or
 * changed the user. It becomes a conflict, so the retry decides again on fresh reads.
 */
export async function refuseOnlyWhenFresh<T>(cached: boolean, decide: () => Promise<T>): Promise<T> {
  try {
    return await decide();
  } catch (error) {
    // Storage being down is not a refusal: re-reading would only wait for it again.
    if (cached && error instanceof ProblemError && error.isCallersMistake) {
      throw new ConcurrencyConflict("re-check on fresh records");
    }
    throw error;
  }
}
