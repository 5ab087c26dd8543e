// The `$filter`s of a search by name or user name, pure (no I/O): the API has no `or`, so a search
// is two queries, `startswith` on the display name and on the user name, each joined by `and` to
// any other condition.

/** A string literal for `$filter`: quoted, a quote doubled (`'O''Brien'`). */
export const odataString = (text: string): string => `'${text.replace(/'/g, "''")}'`;

export const holdersFilter = (skuId: string): string => `assignedLicenses/any(x:x/skuId eq ${skuId})`;

/** The filters a search by name or UPN runs, each joined by `and` to `within` when given. */
export function searchFilters(text: string, within?: string): string[] {
  const trimmed = text.trim();
  const and = (filter: string) => (within ? `${filter} and ${within}` : filter);
  if (!trimmed) return [within ?? ""];
  const quoted = odataString(trimmed);
  return [and(`startswith(displayName,${quoted})`), and(`startswith(userPrincipalName,${quoted})`)];
}
