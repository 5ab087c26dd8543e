// KeyedLock: one task at a time per key, different keys side by side.
import { describe, expect, it } from "vitest";
import { KeyedLock } from "../../shared/concurrency/keyed-lock.js";

/** A promise with its resolve function, to finish a task when the test says so. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("KeyedLock", () => {
  it("returns what the task returns", async () => {
    await expect(new KeyedLock().run("tenant-a", async () => 42)).resolves.toBe(42);
  });

  it("runs tasks of one key one after the other, in the order they were started", async () => {
    const lock = new KeyedLock();
    const events: string[] = [];
    const first = gate();
    const a = lock.run("tenant-a", async () => {
      events.push("first start");
      await first.promise;
      events.push("first end");
    });
    const b = lock.run("tenant-a", async () => {
      events.push("second start");
    });
    await tick();
    expect(events).toEqual(["first start"]);
    first.open();
    await Promise.all([a, b]);
    expect(events).toEqual(["first start", "first end", "second start"]);
  });

  it("never has two tasks of one key running at once", async () => {
    const lock = new KeyedLock();
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        lock.run("tenant-a", async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, i % 3));
          running -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
  });

  it("runs tasks of different keys at the same time", async () => {
    const lock = new KeyedLock();
    const blocker = gate();
    let otherRan = false;
    const a = lock.run("tenant-a", () => blocker.promise);
    await lock.run("tenant-b", async () => {
      otherRan = true;
    });
    expect(otherRan).toBe(true);
    blocker.open();
    await a;
  });

  it("passes a task's error to its caller and still runs the next task of that key", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("tenant-a", async () => {
      throw new Error("boom");
    });
    const next = lock.run("tenant-a", async () => "after");
    await expect(failing).rejects.toThrow("boom");
    await expect(next).resolves.toBe("after");
    await expect(lock.run("tenant-a", async () => "later")).resolves.toBe("later");
  });

  it("treats a task that throws synchronously like one that rejects", async () => {
    const lock = new KeyedLock();
    const failing = lock.run("tenant-a", (): Promise<string> => {
      throw new Error("sync");
    });
    await expect(failing).rejects.toThrow("sync");
    await expect(lock.run("tenant-a", async () => "ok")).resolves.toBe("ok");
  });
});
