// retryOnConflict: re-runs an attempt that lost an optimistic-concurrency race, and gives up with 429.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { retryOnConflict } from "../../shared/concurrency/retry-on-conflict.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { ConcurrencyConflict } from "../../shared/usecases/ports.js";

describe("retryOnConflict", () => {
  beforeEach(() => {
    // No jitter: every back-off sleeps 0 ms, so the tests stay fast.
    vi.spyOn(Math, "random").mockReturnValue(0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("returns the first attempt's result without retrying", async () => {
    const attempt = vi.fn(async () => "done");
    await expect(retryOnConflict(attempt)).resolves.toBe("done");
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it("retries an attempt that lost to another writer, and returns once it succeeds", async () => {
    let attempts = 0;
    const result = await retryOnConflict(async () => {
      attempts += 1;
      if (attempts <= 2) throw new ConcurrencyConflict("etag mismatch");
      return "third time";
    });
    expect(result).toBe("third time");
    expect(attempts).toBe(3);
  });

  it("gives up after a bounded number of conflicts with TooManyRequests and Retry-After", async () => {
    let attempts = 0;
    const outcome = await retryOnConflict(async () => {
      attempts += 1;
      throw new ConcurrencyConflict("etag mismatch");
    }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(ProblemError);
    if (!(outcome instanceof ProblemError)) return;
    expect(outcome.code).toBe("TooManyRequests");
    expect(outcome.status).toBe(429);
    expect(outcome.headers).toEqual({ "Retry-After": "1" });
    expect(attempts).toBeGreaterThan(2);
    expect(attempts).toBeLessThanOrEqual(20);
  });

  it("does not retry any other error", async () => {
    const problem = new ProblemError("CountViolation", "Not enough licenses available.");
    const attempt = vi.fn(async (): Promise<string> => {
      throw problem;
    });
    await expect(retryOnConflict(attempt)).rejects.toBe(problem);
    expect(attempt).toHaveBeenCalledTimes(1);

    const plain = vi.fn(async (): Promise<string> => {
      throw new Error("storage is down");
    });
    await expect(retryOnConflict(plain)).rejects.toThrow("storage is down");
    expect(plain).toHaveBeenCalledTimes(1);
  });

  it("stops retrying as soon as a later attempt fails with another error", async () => {
    let attempts = 0;
    await expect(
      retryOnConflict(async () => {
        attempts += 1;
        if (attempts === 1) throw new ConcurrencyConflict("etag mismatch");
        throw new Error("gone");
      }),
    ).rejects.toThrow("gone");
    expect(attempts).toBe(2);
  });
});
