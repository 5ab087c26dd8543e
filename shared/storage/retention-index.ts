// Table Storage adapter of the retention index (R18–R20): one partition per due day, RowKey starting
// with the due time, so the sweep reads exactly the entries that are due and nothing else of any
// tenant; and the cursor of the oldest day that may still hold entries, where the sweep resumes.
import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { RetentionEntry, RetentionKind } from "../domain/retention.js";
import { maxActionsPerCommit, type RetentionIndexPort } from "../usecases/ports.js";
import { isConflict, isEntityNotFound } from "./conflict.js";
import { str } from "./entity-encoding.js";
import { getEntity, readPage } from "./table-reads.js";

const retentionPartition = (day: string) => `~retention-${day}`;
const retentionRowKey = (e: RetentionEntry) => `${e.due}|${e.tenantId}|${e.userId}|${e.kind}`;
/** Where the sweep resumes: the oldest day that may still hold entries. */
const retentionCursor = { partitionKey: "~retention", rowKey: "cursor" } as const;

export class RetentionIndex implements RetentionIndexPort {
  /**
   * A day the retention cursor was last seen at. The sweep moves it forward to today at most, and
   * new entries fall due today or later, so an entry on or after this day needs no cursor read.
   */
  private knownCursorDay: string | undefined;

  constructor(private readonly client: TableClient) {}

  /**
   * Indexes retention entries by due time. Written before the commit that retains the data: an
   * entry whose commit then failed is found stale by the sweep and dropped.
   */
  async scheduleRetention(entries: readonly RetentionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const earliest = entries.map((e) => e.due.slice(0, 10)).sort()[0] ?? "";
    await this.pullRetentionCursorBack(earliest);
    // One transaction per day partition and 100 entries, so bulk work costs few round trips.
    const byPartition = new Map<string, TransactionAction[]>();
    for (const e of entries) {
      const partitionKey = retentionPartition(e.due.slice(0, 10));
      const actions = byPartition.get(partitionKey) ?? [];
      actions.push(["upsert", { partitionKey, rowKey: retentionRowKey(e), ...e }, "Replace"]);
      byPartition.set(partitionKey, actions);
    }
    await Promise.all(
      [...byPartition.values()].flatMap((actions) => {
        const chunks: Promise<unknown>[] = [];
        for (let i = 0; i < actions.length; i += maxActionsPerCommit) {
          chunks.push(this.client.submitTransaction(actions.slice(i, i + maxActionsPerCommit)));
        }
        return chunks;
      }),
    );
  }

  /** Up to `top` entries of `day` due by `now`, oldest first. */
  async listDueRetention(day: string, now: string, top: number): Promise<RetentionEntry[]> {
    const filter = odata`PartitionKey eq ${retentionPartition(day)} and RowKey lt ${`${now}|~`}`;
    const { items } = await readPage(this.client, filter, top, undefined);
    return items.map((entity) => ({
      tenantId: str(entity, "tenantId"),
      userId: str(entity, "userId"),
      kind: str(entity, "kind") as RetentionKind,
      due: str(entity, "due"),
    }));
  }

  async removeRetention(entry: RetentionEntry): Promise<void> {
    await this.client
      .deleteEntity(retentionPartition(entry.due.slice(0, 10)), retentionRowKey(entry))
      .catch((error: unknown) => {
        if (!isEntityNotFound(error)) throw error;
      });
  }

  /** Makes sure the sweep's cursor is not past `day`, so an entry due then is not skipped. */
  private async pullRetentionCursorBack(day: string): Promise<void> {
    if (this.knownCursorDay !== undefined && this.knownCursorDay <= day) return;
    for (;;) {
      const swap = await this.swapCursor(day, (current) => current <= day);
      if (swap !== "lost") {
        this.knownCursorDay = swap.day;
        return;
      }
    }
  }

  async getRetentionCursor(): Promise<string | undefined> {
    const found = await getEntity(this.client, retentionCursor.partitionKey, retentionCursor.rowKey);
    return found ? str(found.value, "day") : undefined;
  }

  /**
   * Moves the cursor forward only: two sweeps racing never move it back. Losing a race is fine and
   * not retried: the winner moved it forward too, or a new entry pulled it back, and then it must stay.
   */
  async advanceRetentionCursor(day: string): Promise<void> {
    await this.swapCursor(day, (current) => current >= day);
  }

  /**
   * The cursor's one compare-and-swap: sets it to `day` unless `stays(current)` holds, conditional
   * on the ETag read (or on its absence). Answers the day it is then at, or "lost" when another
   * writer changed it in between.
   */
  private async swapCursor(
    day: string,
    stays: (current: string) => boolean,
  ): Promise<{ day: string } | "lost"> {
    const found = await getEntity(this.client, retentionCursor.partitionKey, retentionCursor.rowKey);
    const current = found ? str(found.value, "day") : undefined;
    if (current !== undefined && stays(current)) return { day: current };
    try {
      if (found) await this.client.updateEntity({ ...retentionCursor, day }, "Replace", { etag: found.etag });
      else await this.client.createEntity({ ...retentionCursor, day });
      return { day };
    } catch (error) {
      if (!isConflict(error)) throw error;
      return "lost";
    }
  }
}
