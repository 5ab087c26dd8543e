// Group commit: work for the same key that arrives within a moment is handed over as one batch, so
// a burst of queue messages for one tenant costs one storage transaction instead of one each.

export interface GroupCommitOptions {
  /** How long the first item of a batch waits for others to join it. */
  readonly lingerMs: number;
  /** A batch is handed over at once when it holds this many items. */
  readonly maxItems: number;
}

interface Batch<I, O> {
  readonly items: I[];
  readonly waiters: { resolve(output: O): void; reject(error: unknown): void }[];
  timer?: NodeJS.Timeout;
}

export class GroupCommit<I, O> {
  private readonly open = new Map<string, Batch<I, O>>();

  /** `apply` answers each item of a batch, in order; if it throws, every item of the batch fails. */
  constructor(
    private readonly apply: (key: string, items: readonly I[]) => Promise<readonly O[]>,
    private readonly options: GroupCommitOptions,
  ) {}

  submit(key: string, item: I): Promise<O> {
    let batch = this.open.get(key);
    if (!batch) {
      const created: Batch<I, O> = { items: [], waiters: [] };
      created.timer = setTimeout(() => this.close(key, created), this.options.lingerMs);
      this.open.set(key, created);
      batch = created;
    }
    const joined = batch;
    const output = new Promise<O>((resolve, reject) => joined.waiters.push({ resolve, reject }));
    joined.items.push(item);
    if (joined.items.length >= this.options.maxItems) this.close(key, joined);
    return output;
  }

  private close(key: string, batch: Batch<I, O>): void {
    clearTimeout(batch.timer);
    if (this.open.get(key) !== batch) return;
    this.open.delete(key);
    this.apply(key, batch.items).then(
      (outputs) => {
        batch.waiters.forEach((waiter, i) => {
          const output = outputs[i];
          if (output === undefined) waiter.reject(new Error(`group commit gave no answer for item ${i}`));
          else waiter.resolve(output);
        });
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
  }
}
