// The Users list's queries: a search, a filter, a product and a sort as `GET /api/users` requests, and
// the pages of a search's two queries (by display name, by user name: `$filter` has no `or`) merged in
// the list's order, so that a row shown never has an earlier one still to come.
import type { components } from "../api/schema.js";
import { searchFilters } from "../components/search-filters.js";

type User = components["schemas"]["User"];

export type UserFilter = "all" | "unlicensed" | "guests" | "licenseErrors" | "deleted";

export type SortProperty = "displayName" | "userPrincipalName";

/** The list's order; undefined: the service's own (id order), which needs no scan of every user. */
export interface UserSort {
  readonly property: SortProperty;
  readonly direction: "asc" | "desc";
}

/** What the list shows, as the address's query keeps it. */
export interface ListView {
  readonly search: string;
  readonly filter: UserFilter;
  /** A product's skuId: its holders only. */
  readonly product?: string;
  readonly sort?: UserSort;
}

export interface Query {
  readonly $filter?: string;
  readonly licensed?: "false";
  readonly deleted?: "true";
  readonly licenseErrors?: "true";
  readonly skuId?: string;
}

/** The queries a view takes: one, or two for a search (by display name and by user name). */
export function queriesFor(view: ListView): Query[] {
  const { filter } = view;
  const guest = filter === "guests" ? "userType eq 'Guest'" : undefined;
  const own: Query = {
    ...(filter === "unlicensed" ? { licensed: "false" as const } : {}),
    ...(filter === "deleted" ? { deleted: "true" as const } : {}),
    ...(filter === "licenseErrors" ? { licenseErrors: "true" as const } : {}),
    ...(view.product ? { skuId: view.product } : {}),
  };
  return searchFilters(view.search, guest).map((condition) => ({
    ...own,
    ...(condition ? { $filter: condition } : {}),
  }));
}

/**
 * The parameters of one page of a query. `$orderby` beside a filter, and `$count`, need
 * `ConsistencyLevel: eventual` (as in Graph); it is sent whenever either is asked for.
 */
export function pageRequest(
  query: Query,
  options: {
    readonly sort?: UserSort;
    readonly top: number;
    readonly skipToken?: string;
    readonly count?: boolean;
  },
) {
  const { sort, top, skipToken, count } = options;
  return {
    query: {
      ...query,
      $top: top,
      ...(sort ? { $orderby: `${sort.property} ${sort.direction}` } : {}),
      ...(skipToken ? { skipToken } : {}),
      ...(count ? { $count: "true" as const } : {}),
    },
    ...(sort || count ? { header: { ConsistencyLevel: "eventual" } } : {}),
  };
}

// The service's order: names compared lower-cased by the "en" collation, ties (and no sort) by id.
const collator = new Intl.Collator("en");
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order the service lists users in for a sort (or none). */
export function compareUsers(sort: UserSort | undefined): (a: User, b: User) => number {
  if (!sort) return (a, b) => compareIds(a.id, b.id);
  const sign = sort.direction === "desc" ? -1 : 1;
  const key = (user: User) => (user[sort.property] ?? "").toLowerCase();
  return (a, b) => sign * (collator.compare(key(a), key(b)) || compareIds(a.id, b.id));
}

/** One query's place in the list. */
export interface Cursor {
  readonly query: Query;
  /** The `skipToken` of its next page; undefined once it has no more (or before its first page). */
  readonly skipToken: string | undefined;
  readonly started: boolean;
  /** Users read but not shown yet: another query may still have some that come before them. */
  readonly pending: readonly User[];
  /** The last user read, which bounds what may be shown while more pages follow. */
  readonly last: User | undefined;
}

export const cursorsFor = (view: ListView): Cursor[] =>
  queriesFor(view).map((query) => ({
    query,
    skipToken: undefined,
    started: false,
    pending: [],
    last: undefined,
  }));

/** A cursor whose next page is needed before anything more can be shown. */
export const needsPage = (cursor: Cursor): boolean =>
  !cursor.started || (cursor.skipToken !== undefined && cursor.pending.length === 0);

export const hasMore = (cursors: readonly Cursor[]): boolean =>
  cursors.some((cursor) => !cursor.started || cursor.skipToken !== undefined || cursor.pending.length > 0);

/**
 * The users that may be shown now, in order and each once: those up to the earliest "last user read"
 * of the queries that have more pages; the rest stay pending in their cursors.
 */
export function mergeReady(
  cursors: readonly Cursor[],
  compare: (a: User, b: User) => number,
): { readonly ready: User[]; readonly cursors: Cursor[] } {
  const bounds = cursors.flatMap((cursor) =>
    cursor.skipToken !== undefined && cursor.last ? [cursor.last] : [],
  );
  const bound = bounds.sort(compare)[0];
  const isReady = (user: User) => bound === undefined || compare(user, bound) <= 0;
  const seen = new Set<string>();
  const ready = cursors
    .flatMap((cursor) => cursor.pending.filter(isReady))
    .sort(compare)
    .filter((user) => !seen.has(user.id) && seen.add(user.id) !== undefined);
  return {
    ready,
    cursors: cursors.map((cursor) => ({
      ...cursor,
      pending: cursor.pending.filter((user) => !isReady(user)),
    })),
  };
}
