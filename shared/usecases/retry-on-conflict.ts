// Optimistic concurrency: re-run read → decide → conditional commit when another writer won.
import { ProblemError } from "../domain/problem.js";
import { ConcurrencyConflict } from "../storage/conflict.js";

const maxAttempts = 12;

export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
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
      // Full jitter, capped: spreads competing writers apart without waiting long.
      const ceiling = Math.min(200, 5 * 2 ** tries);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}
