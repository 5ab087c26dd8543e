// The transactional outbox (R17): a change's events commit in the same Table Storage transaction
// as the change, then go to the queue. Nothing is lost if the process dies in between: a marker
// written before the commit says which tenant may hold unsent events, and the sweep sends them.
// Nothing is applied twice if an event is sent twice: its id is the messageId (the queue drops a
// duplicate) and the worker's handling is idempotent.

import { GroupCommit } from "../concurrency/group-commit.js";
import type { CloudEvent } from "../domain/events.js";
import type { Clock, EventPublisher, Logger } from "../usecases/deps.js";
import {
  type OutboxRow,
  type OutboxStorePort,
  outboxRows,
  type TenantRecordsPort,
  type TenantWrite,
  type WrittenVersions,
} from "../usecases/ports.js";

const bucketMs = 60_000;
/** A marker's bucket is swept once it is this old: longer than any commit can take. */
const sweepGraceMs = 2 * bucketMs;

const bucketOf = (time: Date): string =>
  new Date(Math.floor(time.getTime() / bucketMs) * bucketMs).toISOString();

export interface SweepResult {
  readonly tenants: number;
  readonly sent: number;
}

/** Events committed within 10 ms of each other go to the queue in one send. */
const sendBatches = { lingerMs: 10, maxItems: 50 };

export class Outbox {
  /** Markers this process already wrote, so a busy tenant costs one marker write a minute. */
  private readonly marked = new Set<string>();
  private readonly sends = new GroupCommit<{ tenantId: string; rows: readonly OutboxRow[] }, boolean>(
    async (_, commits) => {
      const sent = await this.send(commits.flatMap((c) => c.rows.flatMap((row) => row.events)));
      if (sent)
        for (const { tenantId, rows } of commits)
          this.forget(
            tenantId,
            rows.map((row) => row.id),
          );
      return commits.map(() => sent);
    },
    sendBatches,
  );
  private readonly sentIds = new Map<string, Set<string>>();
  private cleaning: Promise<void> | undefined;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly records: TenantRecordsPort,
    private readonly store: OutboxStorePort,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Commits `writes` with `events` all-or-nothing, then sends the events in the background: the
   * caller's answer does not wait for the queue, and an event that does not get out is sent by the
   * sweep. The worker reconciles from current state, so events overtaking each other do no harm.
   */
  async commit(
    tenantId: string,
    writes: readonly TenantWrite[],
    events: readonly CloudEvent[],
  ): Promise<WrittenVersions> {
    if (events.length > 0) await this.mark(tenantId);
    const rows = outboxRows(events);
    const versions = await this.records.commit(tenantId, [
      ...writes,
      ...rows.map((row) => ({ kind: "outbox" as const, row })),
    ]);
    if (rows.length === 0) return versions;
    const sending = this.sends.submit("", { tenantId, rows }).then(() => undefined);
    this.sending.add(sending);
    void sending.finally(() => this.sending.delete(sending));
    return versions;
  }

  private async mark(tenantId: string): Promise<void> {
    const bucket = bucketOf(this.clock.now());
    const key = `${bucket}|${tenantId}`;
    if (this.marked.has(key)) return;
    await this.store.markPending(tenantId, bucket);
    if (this.marked.size > 10_000) this.marked.clear();
    this.marked.add(key);
  }

  /** Sends committed events; on failure they stay in the outbox for the sweep. */
  private async send(events: readonly CloudEvent[]): Promise<boolean> {
    try {
      await this.publisher.publish(events);
      return true;
    } catch (error) {
      this.logger.warn("events committed but not sent; the outbox sweep will send them", {
        eventIds: events.map((e) => e.id),
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  /** Deletes the rows of sent events from the outbox in the background, many per transaction. */
  private forget(tenantId: string, rowIds: readonly string[]): void {
    const ids = this.sentIds.get(tenantId) ?? new Set<string>();
    for (const id of rowIds) ids.add(id);
    this.sentIds.set(tenantId, ids);
    // Gathered for a tenth of a second: one delete transaction serves many requests.
    this.cleaning ??= new Promise<void>((resolve) => setTimeout(resolve, 100)).then(() => this.clean());
  }

  private async clean(): Promise<void> {
    const batches = [...this.sentIds];
    this.sentIds.clear();
    this.cleaning = undefined;
    for (const [tenantId, ids] of batches) {
      // A failure only means the sweep sends these again; the queue and the worker absorb that.
      await this.store
        .deleteOutbox(tenantId, [...ids])
        .catch((error: unknown) =>
          this.logger.warn("could not clear sent events from the outbox", { tenantId, error: String(error) }),
        );
    }
  }

  /** Waits for background clean-up (tests and shutdown). */
  async flush(): Promise<void> {
    await Promise.all(this.sending);
    while (this.cleaning) await this.cleaning;
  }

  /**
   * Sends whatever a crash left in the outbox. Reads only the tenants marked in buckets old enough
   * that their commits have finished, at most `limit` markers a run; a marker is cleared only after
   * its tenant's events went out, so a sweep that dies is simply repeated by the next one.
   */
  async sweep(limit = 100): Promise<SweepResult> {
    const before = bucketOf(new Date(this.clock.now().getTime() - sweepGraceMs));
    const markers = await this.store.listPending(before, limit);
    let sent = 0;
    const tenants = new Set<string>();
    for (const marker of markers) {
      if (!tenants.has(marker.tenantId)) {
        const rows = await this.store.listOutbox(marker.tenantId);
        const events = rows.flatMap((row) => row.events);
        if (events.length > 0) {
          await this.publisher.publish(events);
          await this.store.deleteOutbox(
            marker.tenantId,
            rows.map((row) => row.id),
          );
          sent += events.length;
        }
        tenants.add(marker.tenantId);
      }
      await this.store.clearPending(marker);
    }
    if (sent > 0) this.logger.info("outbox sweep sent events left behind", { sent, tenants: tenants.size });
    return { tenants: tenants.size, sent };
  }
}
