// A one-off for rows written before the lower-cased copies existed: gives every user row that lacks
// `displayNameLower` / `userPrincipalNameLower` the two properties (a Merge under the row's ETag), so
// the case-insensitive startswith filters of GET /users find it. Run by `npm run backfill-users`.
import { odata, type TableClient } from "@azure/data-tables";
import { isEntityNotFound, statusCodeOf } from "./conflict.js";
import { lowerCased } from "./entity-encoding.js";

/**
 * Scans the users of every tenant (RowKey `user|…`, a few properties each) and merges the missing
 * copies. A row written meanwhile (412) already has them; a row gone (404) needs none.
 */
export async function backfillUserSearchFields(
  client: TableClient,
): Promise<{ readonly scanned: number; readonly updated: number }> {
  let scanned = 0;
  let updated = 0;
  const filter = odata`RowKey ge ${"user|"} and RowKey lt ${"user}"}`;
  const select = ["PartitionKey", "RowKey", "displayName", "userPrincipalName", lowerCased.displayName];
  for await (const entity of client.listEntities<Record<string, unknown>>({
    queryOptions: { filter, select },
  })) {
    scanned++;
    const { partitionKey, rowKey, etag, displayName, userPrincipalName } = entity;
    if (typeof entity[lowerCased.displayName] === "string") continue;
    if (
      !partitionKey ||
      !rowKey ||
      typeof displayName !== "string" ||
      typeof userPrincipalName !== "string"
    ) {
      continue;
    }
    try {
      await client.updateEntity(
        {
          partitionKey,
          rowKey,
          [lowerCased.displayName]: displayName.toLowerCase(),
          [lowerCased.userPrincipalName]: userPrincipalName.toLowerCase(),
        },
        "Merge",
        { etag },
      );
      updated++;
    } catch (error) {
      if (statusCodeOf(error) !== 412 && !isEntityNotFound(error)) throw error;
    }
  }
  return { scanned, updated };
}
