// Table Storage adapter of the outbox: the event rows a tenant's commit wrote into its partition
// (see `toActions`, kind "outbox"), and the markers saying which tenants may hold unsent ones.
import { odata, type TableClient } from "@azure/data-tables";
import {
  maxActionsPerCommit,
  type OutboxRow,
  type OutboxStorePort,
  type PendingMarker,
} from "../usecases/ports.js";
import { isEntityNotFound, statusCodeOf } from "./conflict.js";
import { key, outboxRowFrom, str } from "./entity-encoding.js";
import { listEntities, prefixFilter, readPage } from "./table-reads.js";

/**
 * The partition of outbox markers: "tenant T may have unsent events from the minute starting at B".
 * Tenant ids are GUIDs, so this key cannot collide with a tenant's partition.
 */
const pendingPartition = "~outbox";
const pendingKey = (bucket: string, tenantId: string) => `${bucket}|${tenantId}`;

export class OutboxStore implements OutboxStorePort {
  constructor(private readonly client: TableClient) {}

  /** Rows of events committed but not yet known to be sent, oldest first. */
  async listOutbox(tenantId: string): Promise<OutboxRow[]> {
    const entities = await listEntities(this.client, prefixFilter(tenantId, "outbox|"));
    const time = (row: OutboxRow) => row.events[0]?.time ?? "";
    return entities.map(outboxRowFrom).sort((a, b) => time(a).localeCompare(time(b)));
  }

  /** Forgets rows whose events were sent; one already gone is fine (another relay got there first). */
  async deleteOutbox(tenantId: string, rowIds: readonly string[]): Promise<void> {
    for (let i = 0; i < rowIds.length; i += maxActionsPerCommit) {
      const chunk = rowIds.slice(i, i + maxActionsPerCommit);
      try {
        await this.client.submitTransaction(
          chunk.map((id) => ["delete", { partitionKey: tenantId, rowKey: key.outbox(id) }]),
        );
      } catch (error) {
        if (!isEntityNotFound(error)) throw error;
        // A batch fails whole on one missing row: delete one by one, ignoring the missing.
        await Promise.all(
          chunk.map((id) =>
            this.client.deleteEntity(tenantId, key.outbox(id)).catch((e: unknown) => {
              if (!isEntityNotFound(e)) throw e;
            }),
          ),
        );
      }
    }
  }

  /** Notes that `tenantId` may have unsent events in the time bucket starting at `bucket`. */
  async markPending(tenantId: string, bucket: string): Promise<void> {
    await this.client.upsertEntity(
      { partitionKey: pendingPartition, rowKey: pendingKey(bucket, tenantId), tenantId, bucket },
      "Replace",
    );
  }

  /** Markers of buckets that started before `before`, oldest first, at most `limit`. */
  async listPending(before: string, limit: number): Promise<PendingMarker[]> {
    const filter = odata`PartitionKey eq ${pendingPartition} and RowKey lt ${before}`;
    const { items } = await readPage(this.client, filter, limit, undefined);
    return items.map((entity) => ({
      tenantId: str(entity, "tenantId"),
      bucket: str(entity, "bucket"),
      etag: str(entity, "etag"),
    }));
  }

  /** Removes a marker unless it was written again since it was listed (its ETag changed). */
  async clearPending(marker: PendingMarker): Promise<void> {
    try {
      await this.client.deleteEntity(pendingPartition, pendingKey(marker.bucket, marker.tenantId), {
        etag: marker.etag,
      });
    } catch (error) {
      if (!isEntityNotFound(error) && statusCodeOf(error) !== 412) throw error;
    }
  }
}
