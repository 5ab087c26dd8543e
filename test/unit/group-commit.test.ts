import { describe, expect, it } from "vitest";
import { GroupCommit } from "../../shared/concurrency/group-commit.js";

/** A group commit that records the batches it hands over and answers each item doubled. */
function recorder(
  options: { lingerMs: number; maxItems: number },
  fail?: (items: readonly number[]) => boolean,
) {
  const batches: { key: string; items: number[] }[] = [];
  const group = new GroupCommit<number, number>(async (key, items) => {
    batches.push({ key, items: [...items] });
    if (fail?.(items)) throw new Error(`batch ${items.join(",")} failed`);
    return items.map((n) => 2 * n);
  }, options);
  return { group, batches };
}

describe("group commit", () => {
  it("hands over what arrives within the linger as one batch per key, answering each item", async () => {
    const { group, batches } = recorder({ lingerMs: 20, maxItems: 90 });
    const answers = await Promise.all([
      group.submit("a", 1),
      group.submit("b", 10),
      group.submit("a", 2),
      group.submit("a", 3),
    ]);
    expect(answers).toEqual([2, 20, 4, 6]);
    expect(batches).toEqual([
      { key: "a", items: [1, 2, 3] },
      { key: "b", items: [10] },
    ]);
  });

  it("hands a batch over at once when it is full, and starts the next", async () => {
    const { group, batches } = recorder({ lingerMs: 60_000, maxItems: 2 });
    const first = Promise.all([group.submit("a", 1), group.submit("a", 2)]);
    expect(await first).toEqual([2, 4]);
    expect(batches).toEqual([{ key: "a", items: [1, 2] }]);
    const next = Promise.all([group.submit("a", 3), group.submit("a", 4)]);
    expect(await next).toEqual([6, 8]);
    expect(batches).toHaveLength(2);
  });

  it("starts a new batch for items arriving after the linger", async () => {
    const { group, batches } = recorder({ lingerMs: 5, maxItems: 90 });
    await group.submit("a", 1);
    await group.submit("a", 2);
    expect(batches.map((b) => b.items)).toEqual([[1], [2]]);
  });

  it("fails every item of a failed batch, and only those", async () => {
    const { group } = recorder({ lingerMs: 10, maxItems: 90 }, (items) => items.includes(13));
    const failed = [group.submit("a", 1), group.submit("a", 13)];
    const other = group.submit("b", 5);
    for (const item of failed) await expect(item).rejects.toThrow("batch 1,13 failed");
    expect(await other).toBe(10);
  });

  it("fails an item the batch gave no answer for", async () => {
    const group = new GroupCommit<number, number>(async () => [], { lingerMs: 1, maxItems: 90 });
    await expect(group.submit("a", 1)).rejects.toThrow("no answer");
  });
});
