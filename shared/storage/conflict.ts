// Table Storage failures the adapters tell apart: "someone else wrote first", which they turn into
// the ports' ConcurrencyConflict (the use case re-reads and retries); "no such entity"; and "no
// such table", which is neither: the table itself is gone and is created again (table-client.ts).

/** The HTTP status of an Azure SDK RestError (single operations often carry no `code`). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/**
 * The service's error code (`TableNotFound`, `ResourceNotFound`, …): a transaction's error carries
 * it as `code`; a single operation's has it only in its details (the `x-ms-error-code` header) or
 * in its parsed body (`odata.error.code`).
 */
export function storageErrorCodeOf(error: unknown): string | undefined {
  const candidates = [
    field(error, "code"),
    field(field(error, "details"), "errorCode"),
    field(field(field(error, "details"), "odataError"), "code"),
    field(field(field(field(error, "response"), "parsedBody"), "odataError"), "code"),
  ];
  return candidates.find((code): code is string => typeof code === "string");
}

/** The table itself does not exist (deleted, or an emulator restarted empty), whatever the operation. */
export function isTableNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404 && storageErrorCodeOf(error) === "TableNotFound";
}

/** The entity does not exist, in a table that does. */
export function isEntityNotFound(error: unknown): boolean {
  return statusCodeOf(error) === 404 && !isTableNotFound(error);
}

/**
 * 409 (entity exists), 412 (stale ETag) and 404 (entity gone) on a conditional write; a missing
 * table is not one: re-reading would find it missing again, twelve times over.
 */
export function isConflict(error: unknown): boolean {
  const status = statusCodeOf(error);
  return status === 409 || status === 412 || isEntityNotFound(error);
}
