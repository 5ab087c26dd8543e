// Table Storage failures that mean "someone else wrote first": the adapters turn them into the
// ports' ConcurrencyConflict, and the use case re-reads and retries.

/** The HTTP status of an Azure SDK RestError (single operations often carry no `code`). */
export function statusCodeOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  return typeof error.statusCode === "number" ? error.statusCode : undefined;
}

/** 409 (entity exists), 412 (stale ETag) and 404 (entity gone) on a conditional write. */
export function isConflict(error: unknown): boolean {
  const status = statusCodeOf(error);
  return status === 409 || status === 412 || status === 404;
}
