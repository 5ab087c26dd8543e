// Reads every Table Storage adapter shares: a point read with its ETag, a full listing, a page that
// follows the service's short pages, and the check of a continuation token a caller hands back.
import { odata, type TableClient } from "@azure/data-tables";
import { ProblemError } from "../domain/problem.js";
import type { Page, Versioned } from "../usecases/ports.js";
import { isEntityNotFound, statusCodeOf } from "./conflict.js";
import type { Entity } from "./entity-encoding.js";

/** RowKey range of every key starting with `prefix` (`|` + 1 = `}`). */
export const prefixFilter = (partitionKey: string, prefix: string): string =>
  odata`PartitionKey eq ${partitionKey} and RowKey ge ${prefix} and RowKey lt ${`${prefix.slice(0, -1)}}`}`;

/**
 * A continuation token comes back from callers (skipToken): only a well-formed one, as the SDK
 * makes them (base64 JSON of the next keys), goes to the service; anything else is the caller's
 * mistake, not a 500. The keys the service hands out (Azure's `1!n!…`, Azurite's base64) are
 * printable ASCII, so anything else (a lone surrogate makes the SDK's encodeURIComponent throw)
 * is refused here. The query's own PartitionKey filter keeps it within the caller's tenant.
 */
const continuationKey = /^[\x21-\x7e]{1,1024}$/;
const invalidContinuation = () =>
  new ProblemError("ValidationFailed", "skipToken is not one this service issued; follow nextLink instead.", [
    { path: "skipToken", message: "not a valid continuation" },
  ]);

export function checkedContinuation(token: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw invalidContinuation();
  let decoded: unknown;
  try {
    // Read as the SDK reads it: one character per byte.
    decoded = JSON.parse(Buffer.from(token, "base64").toString("latin1"));
  } catch {
    throw invalidContinuation();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw invalidContinuation();
  const { nextPartitionKey, nextRowKey } = decoded as Record<string, unknown>;
  if (typeof nextPartitionKey !== "string" || !continuationKey.test(nextPartitionKey))
    throw invalidContinuation();
  if (typeof nextRowKey !== "string" || !continuationKey.test(nextRowKey)) throw invalidContinuation();
  return token;
}

/** One entity with its ETag, or undefined when there is none. */
export async function getEntity(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<Versioned<Entity> | undefined> {
  try {
    const entity = await client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
    return { value: entity, etag: entity.etag };
  } catch (error) {
    if (isEntityNotFound(error)) return undefined;
    throw error;
  }
}

/** Every entity matching `filter`. */
export async function listEntities(client: TableClient, filter: string): Promise<Entity[]> {
  const entities: Entity[] = [];
  for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    entities.push(entity);
  }
  return entities;
}

/** Up to `top` entities matching `filter`, following the service's short pages until filled. */
export async function readPage(
  client: TableClient,
  filter: string,
  top: number,
  continuation: string | undefined,
): Promise<Page<Entity>> {
  const items: Entity[] = [];
  let token = continuation === undefined ? undefined : checkedContinuation(continuation);
  do {
    const pages = client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: top - items.length, ...(token ? { continuationToken: token } : {}) });
    let next: Awaited<ReturnType<typeof pages.next>>;
    try {
      next = await pages.next();
    } catch (error) {
      // A well-formed token the service still cannot use (forged keys) is the caller's mistake too.
      if (continuation !== undefined && statusCodeOf(error) === 400) throw invalidContinuation();
      throw error;
    }
    if (next.done) return { items };
    items.push(...next.value);
    token = next.value.continuationToken;
  } while (token && items.length < top);
  return token ? { items, continuation: token } : { items };
}
