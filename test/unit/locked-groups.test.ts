// LockedGroups: items for a key that wait while the key is locked are handed over together.
import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../shared/concurrency/keyed-lock.js";
import { type ItemOutcome, LockedGroups } from "../../shared/concurrency/locked-groups.js";

function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("LockedGroups", () => {
  it("hands the items that waited for a busy key over as one group, and answers each its own", async () => {
    const lock = new KeyedLock();
    const groups: number[][] = [];
    const grouped = new LockedGroups<number, number>(lock, async (_, items) => {
      groups.push([...items]);
      return items.map(
        (n): ItemOutcome<number> =>
          n < 0 ? { ok: false, error: new Error(`${n}`) } : { ok: true, value: n * 10 },
      );
    });
    const busy = gate();
    const holder = lock.run("tenant-a", () => busy.promise);

    const answers = [1, -2, 3].map((n) => grouped.submit("tenant-a", n));
    const other = grouped.submit("tenant-b", 4);
    await expect(other).resolves.toBe(40);
    busy.open();
    await holder;

    await expect(answers[0]).resolves.toBe(10);
    await expect(answers[1]).rejects.toThrow("-2");
    await expect(answers[2]).resolves.toBe(30);
    expect(groups).toEqual([[4], [1, -2, 3]]);
  });

  it("starts a new group for items that arrive while a group is being applied", async () => {
    const lock = new KeyedLock();
    const groups: number[][] = [];
    const applying = gate();
    const grouped = new LockedGroups<number, number>(lock, async (_, items) => {
      groups.push([...items]);
      if (groups.length === 1) await applying.promise;
      return items.map((n) => ({ ok: true, value: n }));
    });
    const first = grouped.submit("t", 1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const later = [2, 3].map((n) => grouped.submit("t", n));
    applying.open();

    await expect(Promise.all([first, ...later])).resolves.toEqual([1, 2, 3]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it("fails every item of a group whose apply throws", async () => {
    const grouped = new LockedGroups<number, number>(new KeyedLock(), async () => {
      throw new Error("storage down");
    });
    const answers = [1, 2].map((n) => grouped.submit("t", n));
    for (const answer of answers) await expect(answer).rejects.toThrow("storage down");
  });
});
