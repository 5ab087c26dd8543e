// Group commit behind a keyed lock: items for one key that wait while the key is locked are handed
// over together once it is free, so requests that would commit one after another (the inner
// requests of a $batch for one tenant) share one transaction. Nothing waits on purpose: an item that
// finds its key free runs at once, alone, exactly as it would have without grouping.
import type { KeyedLock } from "./keyed-lock.js";

interface Waiting<I, O> {
  readonly item: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/** One item's answer: its output, or the error it alone fails with. */
export type ItemOutcome<O> =
  | { readonly ok: true; readonly value: O }
  | { readonly ok: false; readonly error: unknown };

export class LockedGroups<I, O> {
  /** Per key, the items not yet handed over, in arrival order. */
  private readonly waiting = new Map<string, Waiting<I, O>[]>();

  /**
   * `apply` runs holding the key's lock and answers each item of the group, in order; if it throws,
   * every item of the group fails with that error.
   */
  constructor(
    private readonly lock: KeyedLock,
    private readonly apply: (key: string, items: readonly I[]) => Promise<readonly ItemOutcome<O>[]>,
  ) {}

  submit(key: string, item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const queue = this.waiting.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.waiting.set(key, [{ item, resolve, reject }]);
      void this.lock.run(key, () => this.handOver(key));
    });
  }

  /** Takes every item waiting for `key` (later ones start the next group) and answers each. */
  private async handOver(key: string): Promise<void> {
    const group = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    try {
      const outcomes = await this.apply(
        key,
        group.map((w) => w.item),
      );
      group.forEach((waiting, i) => {
        const outcome = outcomes[i];
        if (!outcome) waiting.reject(new Error(`the group gave no answer for item ${i}`));
        else if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}
