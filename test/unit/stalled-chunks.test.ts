// The bulk watchdog's rules over one chunk: wait, send again, or give up, and what users then report.
import { describe, expect, it } from "vitest";
import type { BulkChunk } from "../../shared/domain/model.js";
import {
  abandonedChunk,
  chunkNotProcessed,
  lastProgressOf,
  resentChunk,
  stalledChunkAction,
} from "../../shared/domain/stalled-chunks.js";

const policy = { timeoutMs: 5 * 60_000, maxResends: 3 };
const createdAt = "2026-11-22T09:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(createdAt) + minutes * 60_000);
const chunk = (overrides: Partial<BulkChunk> = {}): BulkChunk => ({
  jobId: "5c0e0e1a-1f2b-4c3d-8e9f-0a1b2c3d4e5f",
  index: 2,
  userIds: ["a", "b", "c"],
  results: [],
  updatedAt: createdAt,
  ...overrides,
});

describe("a chunk's watchdog action", () => {
  it("waits within the bound since the chunk was sent", () => {
    expect(stalledChunkAction(chunk(), createdAt, at(4.9), policy)).toBe("wait");
    expect(stalledChunkAction(chunk(), createdAt, at(5), policy)).toBe("resend");
  });

  it("counts the bound from the last progress or resend, else from the job's creation", () => {
    const progressed = chunk({ updatedAt: at(4).toISOString() });
    expect(stalledChunkAction(progressed, createdAt, at(8), policy)).toBe("wait");
    const { updatedAt: _, ...old } = chunk();
    expect(stalledChunkAction(old, createdAt, at(6), policy)).toBe("resend");
  });

  it("waits for a chunk still in the queue while other chunks of its job make progress", () => {
    // A job of hundreds of chunks: this one has waited its turn for 6 minutes, but the worker
    // finished another chunk a minute ago, so it is alive and getting there.
    expect(stalledChunkAction(chunk(), createdAt, at(6), policy, at(5).toISOString())).toBe("wait");
    expect(stalledChunkAction(chunk(), createdAt, at(11), policy, at(5).toISOString())).toBe("resend");
    const done = chunk({
      index: 0,
      results: [{ userId: "a", outcome: "Succeeded" }],
      updatedAt: at(5).toISOString(),
    });
    expect(lastProgressOf([chunk(), done, chunk({ index: 3, updatedAt: at(9).toISOString() })])).toBe(
      at(5).toISOString(),
    );
  });

  it("gives up once the chunk was sent again maxResends times", () => {
    expect(stalledChunkAction(chunk({ resends: 2 }), createdAt, at(6), policy)).toBe("resend");
    expect(stalledChunkAction(chunk({ resends: 3 }), createdAt, at(6), policy)).toBe("fail");
    expect(stalledChunkAction(chunk(), createdAt, at(6), { ...policy, maxResends: 0 })).toBe("fail");
  });

  it("never touches a completed chunk", () => {
    const done = chunk({ resends: 3, completedAt: at(1).toISOString() });
    expect(stalledChunkAction(done, createdAt, at(60), policy)).toBe("wait");
  });
});

describe("a chunk sent again or given up", () => {
  it("counts the resend and restarts the wait", () => {
    const now = at(6).toISOString();
    expect(resentChunk(chunk({ resends: 1 }), now)).toMatchObject({ resends: 2, updatedAt: now });
  });

  it("keeps what was processed and fails the rest with ChunkNotProcessed, saying to retry", () => {
    const now = at(30).toISOString();
    const given = abandonedChunk(
      chunk({ resends: 3, results: [{ userId: "a", outcome: "Succeeded" }] }),
      now,
      policy,
    );
    expect(given.completedAt).toBe(now);
    expect(given.results.map((r) => [r.userId, r.outcome, r.code])).toEqual([
      ["a", "Succeeded", undefined],
      ["b", "Failed", chunkNotProcessed],
      ["c", "Failed", chunkNotProcessed],
    ]);
    expect(given.results[1]?.detail).toContain("sent 4 times and not processed within 5 minutes");
    expect(given.results[1]?.detail).toContain(
      "Retry the job (POST /api/jobs/5c0e0e1a-1f2b-4c3d-8e9f-0a1b2c3d4e5f/retry)",
    );
  });
});
