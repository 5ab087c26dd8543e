// Table Storage adapter for rejected queue events: one row per rejected message, in the partition
// of the event's tenant (or a system partition when it names none), newest first.
import { createHash } from "node:crypto";
import { odata, type TableClient, type TableEntityResult } from "@azure/data-tables";
import type { RejectionCode } from "../domain/event-rejected.js";
import type { Page, RejectedEvent, RejectedEventsPort } from "../usecases/ports.js";
import { checkedContinuation } from "./table-reads.js";

const prefix = "rejected|";
/** Larger than any millisecond time before the year 2286: newer rows sort first. */
const timeCeiling = 9_999_999_999_999;

const rowKey = (enqueuedAt: string, messageId: string): string =>
  `${prefix}${String(timeCeiling - Date.parse(enqueuedAt)).padStart(13, "0")}|${encodeURIComponent(messageId)}`;

/** A GUID-shaped id for the row, so the API never shows storage keys. */
function idOf(key: string): string {
  const hex = createHash("sha256").update(key).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type Entity = TableEntityResult<Record<string, unknown>>;

const text = (entity: Entity, name: string): string | undefined =>
  typeof entity[name] === "string" ? entity[name] : undefined;

function fromEntity(entity: Entity): RejectedEvent {
  const optional = (name: string) => {
    const value = text(entity, name);
    return value === undefined ? {} : { [name]: value };
  };
  return {
    id: text(entity, "id") ?? "",
    ...optional("eventId"),
    ...optional("type"),
    ...optional("source"),
    ...optional("subject"),
    code: (text(entity, "code") ?? "InvalidCloudEvent") as RejectionCode,
    detail: text(entity, "detail") ?? "",
    rejectedAt: text(entity, "rejectedAt") ?? "",
    enqueuedAt: text(entity, "enqueuedAt") ?? "",
    deliveryCount: typeof entity.deliveryCount === "number" ? entity.deliveryCount : 0,
  };
}

export class RejectedEventStore implements RejectedEventsPort {
  constructor(private readonly client: TableClient) {}

  /** Writes the record; a redelivery of the same message replaces it instead of adding one. */
  async put(partition: string, messageId: string, record: Omit<RejectedEvent, "id">): Promise<RejectedEvent> {
    const key = rowKey(record.enqueuedAt, messageId);
    const stored: RejectedEvent = { id: idOf(`${partition}|${key}`), ...record };
    await this.client.upsertEntity({ partitionKey: partition, rowKey: key, ...stored }, "Replace");
    return stored;
  }

  /** Up to `top` records of a partition, newest first. */
  async list(
    partition: string,
    options: { top: number; continuation?: string },
  ): Promise<Page<RejectedEvent>> {
    const filter = odata`PartitionKey eq ${partition} and RowKey ge ${prefix} and RowKey lt ${"rejected}"}`;
    const items: RejectedEvent[] = [];
    let token = options.continuation === undefined ? undefined : checkedContinuation(options.continuation);
    do {
      const next = await this.client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: options.top - items.length, ...(token ? { continuationToken: token } : {}) })
        .next();
      if (next.done) break;
      items.push(...next.value.map(fromEntity));
      token = next.value.continuationToken;
    } while (token && items.length < options.top);
    return token ? { items, continuation: token } : { items };
  }
}
