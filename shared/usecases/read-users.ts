// The tenant's users: one by id or sign-in name, a page of them or how many, filtered and ordered
// (R16, R20, R21, R23). Each filter is answered from the cheapest record that can serve it: a
// sign-in name from its reservation (a point read), a product's holders from the holder index (a
// range read), members in license errors from their index, the rest from the users' stored
// properties (a server-side filter). Table Storage keeps users in id order: an ordered listing reads
// the keys and the sort column of every user the filters take, and sorts them.
import { findProduct } from "../domain/catalog.js";
import type { User } from "../domain/model.js";
import { notFound, ProblemError } from "../domain/problem.js";
import { needsLicense } from "../domain/provisioning.js";
import type { Deps } from "./deps.js";
import type { Page, UserFilter, UserPrefixProperty, Versioned } from "./ports.js";

/** An active user, by id or userPrincipalName (see resolveUserKey). */
export async function getUser(deps: Deps, tenantId: string, userKey: string): Promise<User> {
  return (await getVersionedUser(deps, tenantId, userKey)).value;
}

/** An active user with their version (ETag), by id or userPrincipalName. */
export async function getVersionedUser(
  deps: Deps,
  tenantId: string,
  userKey: string,
): Promise<Versioned<User>> {
  const userId = await resolveUserKey(deps, tenantId, userKey);
  const found = await deps.store.getUser(tenantId, userId);
  if (!found || found.value.deletedAt) throw notFound(`User ${userKey}`);
  return found;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The longest sign-in name there can be: a 64-character alias, "@" and a 48-character domain. */
const maxUserPrincipalNameLength = 64 + 1 + 48;

/**
 * The user id a path names: the user's id (a GUID), or their userPrincipalName in any case, looked
 * up with one point read of its reservation. A key that is neither, or names no user, is NotFound
 * (as Graph answers); the operation itself decides about deleted users.
 */
export async function resolveUserKey(deps: Deps, tenantId: string, userKey: string): Promise<string> {
  if (guidPattern.test(userKey)) return userKey.toLowerCase();
  const looksLikeName =
    userKey.includes("@") && userKey.length <= maxUserPrincipalNameLength && !/[\p{Cc}\p{Cs}]/u.test(userKey);
  const userId = looksLikeName ? await deps.store.findUserIdByPrincipalName(tenantId, userKey) : undefined;
  if (userId === undefined) throw notFound(`User ${userKey}`);
  return userId;
}

/** One condition on a user; a listing takes the users that meet all of its conditions. */
export type UserCondition =
  | { readonly kind: "holds"; readonly skuId: string }
  | { readonly kind: "userPrincipalName"; readonly equals: string }
  | { readonly kind: "startsWith"; readonly property: UserPrefixProperty; readonly prefix: string }
  | { readonly kind: "userType"; readonly equals: "Member" | "Guest" }
  | { readonly kind: "licensed"; readonly equals: boolean };

/** The order of a listing: a property, compared lower-cased, ties broken by id. */
export interface UserOrder {
  readonly property: UserPrefixProperty;
  readonly direction: "asc" | "desc";
}

export interface UserQuery {
  readonly licensed?: boolean;
  /** Shared, room and resource mailboxes over their free quota without a license (R21). */
  readonly needsLicense?: boolean;
  /** Deleted users still in their retention window, instead of the active ones (R20). */
  readonly deleted?: boolean;
  /** Members whose licenses from a group are held back (true), or the others (false). */
  readonly licenseErrors?: boolean;
  readonly skuId?: string;
  readonly where?: readonly UserCondition[];
}

export interface ListUsersQuery extends UserQuery {
  readonly top: number;
  readonly continuation?: string;
  /** Without it, users come in id order (the store's). */
  readonly orderBy?: UserOrder;
}

/** How many holder pages one listing reads at most to fill its page before it answers a shorter one. */
const maxHolderReads = 10;

/** The query's conditions sorted by the record that serves them. */
function planOf(query: UserQuery) {
  const where = [
    ...(query.skuId === undefined ? [] : [{ kind: "holds", skuId: query.skuId } as const]),
    ...(query.where ?? []),
  ];
  const holds = where.flatMap((c) => (c.kind === "holds" ? [c.skuId] : []));
  const names = where.flatMap((c) => (c.kind === "userPrincipalName" ? [c.equals] : []));
  const userTypes = [...new Set(where.flatMap((c) => (c.kind === "userType" ? [c.equals] : [])))];
  const licensed = [
    ...new Set([
      ...(query.licensed === undefined ? [] : [query.licensed]),
      ...where.flatMap((c) => (c.kind === "licensed" ? [c.equals] : [])),
    ]),
  ];
  const prefixes = where.flatMap((c) =>
    c.kind === "startsWith" ? [{ property: c.property, prefix: c.prefix }] : [],
  );
  const filter: UserFilter = {
    ...(licensed[0] === undefined ? {} : { licensed: licensed[0] }),
    ...(query.needsLicense === undefined ? {} : { needsLicense: query.needsLicense }),
    deleted: query.deleted === true,
    ...(userTypes[0] === undefined ? {} : { userType: userTypes[0] }),
    ...(prefixes.length === 0 ? {} : { prefixes }),
  };
  // Conditions no user can meet: two user types, licensed and not, or a product the catalog does not know.
  const impossible =
    userTypes.length > 1 ||
    licensed.length > 1 ||
    holds.some((skuId) => !findProduct(skuId)) ||
    (holds.length > 0 && licensed[0] === false);
  const skuIds = holds.flatMap((skuId) => findProduct(skuId)?.skuId ?? []);
  return { where, skuIds, names, filter, impossible };
}

/** Whether a user read by key meets the query (what the server-side filter checks, and the rest). */
function meets(user: User, query: UserQuery, where: readonly UserCondition[]): boolean {
  if ((user.deletedAt !== undefined) !== (query.deleted === true) || user.purgedAt) return false;
  if (query.licensed !== undefined && user.assignedLicenses.length > 0 !== query.licensed) return false;
  if (query.needsLicense !== undefined && needsLicense(user) !== query.needsLicense) return false;
  return where.every((condition) => meetsCondition(user, condition));
}

function meetsCondition(user: User, condition: UserCondition): boolean {
  switch (condition.kind) {
    case "holds":
      return user.assignedLicenses.some((l) => l.skuId.toLowerCase() === condition.skuId.toLowerCase());
    case "userPrincipalName":
      return user.userPrincipalName.toLowerCase() === condition.equals.toLowerCase();
    case "startsWith":
      return user[condition.property].toLowerCase().startsWith(condition.prefix.toLowerCase());
    case "userType":
      return user.userType === condition.equals;
    case "licensed":
      return user.assignedLicenses.length > 0 === condition.equals;
  }
}

/** Whether a user id is in the license-error index as the query asks, or undefined when it does not ask. */
async function licenseErrorTest(
  deps: Deps,
  tenantId: string,
  query: UserQuery,
): Promise<((userId: string) => boolean) | undefined> {
  const wanted = query.licenseErrors;
  if (wanted === undefined) return undefined;
  // One range read of the index: a member in errors from several groups has a row for each.
  const inErrors = new Set((await deps.store.listLicenseErrors(tenantId)).map((entry) => entry.userId));
  return (userId) => inErrors.has(userId) === wanted;
}

/** The user a sign-in name names, if they meet the query: one point read of the name, one of the user. */
async function byPrincipalName(
  deps: Deps,
  tenantId: string,
  name: string,
  query: UserQuery,
  where: readonly UserCondition[],
) {
  const userId = await deps.store.findUserIdByPrincipalName(tenantId, name);
  const found = userId === undefined ? undefined : await deps.store.getUser(tenantId, userId);
  if (!found || !meets(found.value, query, where)) return [];
  const inErrors = await licenseErrorTest(deps, tenantId, query);
  return inErrors === undefined || inErrors(found.value.id) ? [found.value] : [];
}

/**
 * Users of the tenant that meet the query, a page at a time. A page may hold fewer than `top`
 * users and still have a continuation (holders filtered by other conditions).
 */
export async function listUsers(deps: Deps, tenantId: string, query: ListUsersQuery): Promise<Page<User>> {
  const { store } = deps;
  const plan = planOf(query);
  if (plan.impossible) return { items: [] };
  const [name] = plan.names;
  if (name !== undefined) return { items: await byPrincipalName(deps, tenantId, name, query, plan.where) };
  if (query.orderBy !== undefined || query.licenseErrors !== undefined) {
    return sortedPage(deps, tenantId, query, plan);
  }
  const [skuId] = plan.skuIds;
  if (skuId === undefined) {
    const page = await store.listUsers(tenantId, {
      ...plan.filter,
      top: query.top,
      ...(query.continuation ? { continuation: query.continuation } : {}),
    });
    // The store's filter decides; this drops only what it cannot tell (purged users, odd prefixes).
    return { ...page, items: page.items.filter((user) => meets(user, query, plan.where)) };
  }
  // The product's holders, a range of the holder index; the other conditions checked on each.
  const items: User[] = [];
  let continuation = query.continuation;
  for (let reads = 0; reads < maxHolderReads && items.length < query.top; reads++) {
    const holders = await store.listHolderIds(tenantId, skuId, {
      top: query.top - items.length,
      ...(continuation ? { continuation } : {}),
    });
    const users = await store.getUsers(tenantId, holders.items);
    for (const id of holders.items) {
      const user = users.get(id)?.value;
      if (user && meets(user, query, plan.where)) items.push(user);
    }
    continuation = holders.continuation;
    if (continuation === undefined) break;
  }
  return continuation === undefined ? { items } : { items, continuation };
}

/** A place in an ordered listing: the sort value and id of the last user a page gave. */
interface SortPosition {
  readonly key: string;
  readonly id: string;
}

/** One collation for every page, so a position means the same thing on each. */
const collator = new Intl.Collator("en");

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function comparatorOf(order: UserOrder | undefined) {
  const sign = order?.direction === "desc" ? -1 : 1;
  return (a: SortPosition, b: SortPosition) =>
    sign * (collator.compare(a.key, b.key) || compareIds(a.id, b.id));
}

/** The order a skipToken was issued for: a token of one order means nothing in another. */
const orderName = (order: UserOrder | undefined) =>
  order === undefined ? "id" : `${order.property} ${order.direction}`;

const invalidSkipToken = (order: UserOrder | undefined) =>
  new ProblemError(
    "ValidationFailed",
    `skipToken is not one this service issued for $orderby=${orderName(order)}; follow nextLink instead.`,
    [{ path: "skipToken", message: "not a valid continuation for this order" }],
  );

/** An ordered listing's skipToken: the last position given, so a page starts after it whatever was added. */
function encodePosition(order: UserOrder | undefined, position: SortPosition): string {
  return Buffer.from(JSON.stringify({ o: orderName(order), k: position.key, i: position.id })).toString(
    "base64url",
  );
}

function decodePosition(order: UserOrder | undefined, token: string): SortPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw invalidSkipToken(order);
  }
  const { o, k, i } = (typeof decoded === "object" && decoded !== null ? decoded : {}) as Record<
    string,
    unknown
  >;
  if (o !== orderName(order) || typeof k !== "string" || typeof i !== "string") throw invalidSkipToken(order);
  return { key: k, id: i };
}

/**
 * A page of an ordered listing (or of members in license errors, in id order): the keys and sort
 * values of every user the filters take, intersected with the holder and license-error indexes,
 * sorted, and the page after the token's position read in full. Ties are broken by id, so the order
 * is total and a position is exact: a user added or removed between pages shifts no other.
 */
async function sortedPage(
  deps: Deps,
  tenantId: string,
  query: ListUsersQuery,
  plan: ReturnType<typeof planOf>,
): Promise<Page<User>> {
  const { store } = deps;
  const order = query.orderBy;
  const after = query.continuation === undefined ? undefined : decodePosition(order, query.continuation);
  const [keys, holderSets, inErrors] = await Promise.all([
    order === undefined
      ? store.listUserIds(tenantId, plan.filter).then((ids) => new Map([...ids].map((id) => [id, id])))
      : store.listUserSortKeys(tenantId, plan.filter, order.property),
    Promise.all(plan.skuIds.map((skuId) => store.listAllHolderIds(tenantId, skuId))),
    licenseErrorTest(deps, tenantId, query),
  ]);
  const compare = comparatorOf(order);
  const positions = [...keys]
    .map(([id, key]) => ({ id, key }))
    .filter(({ id }) => holderSets.every((holders) => holders.has(id)) && (inErrors?.(id) ?? true))
    .filter((position) => after === undefined || compare(position, after) > 0)
    .sort(compare);
  const page = positions.slice(0, query.top);
  const users = await store.getUsers(
    tenantId,
    page.map(({ id }) => id),
  );
  // The scan decided; this drops only what it cannot tell (a user changed since, odd prefixes).
  const items = page.flatMap(({ id }) => {
    const user = users.get(id)?.value;
    return user && meets(user, query, plan.where) ? [user] : [];
  });
  const last = page.at(-1);
  return positions.length > page.length && last !== undefined
    ? { items, continuation: encodePosition(order, last) }
    : { items };
}

/**
 * How many users meet the query. At worst a key-only scan: of the holder index for a product and of
 * the users' keys for the other conditions, intersected; a sign-in name is a point read.
 */
export async function countUsers(deps: Deps, tenantId: string, query: UserQuery): Promise<number> {
  const { store } = deps;
  const plan = planOf(query);
  if (plan.impossible) return 0;
  const [name] = plan.names;
  if (name !== undefined) return (await byPrincipalName(deps, tenantId, name, query, plan.where)).length;
  const [holderSets, inErrors] = await Promise.all([
    Promise.all(plan.skuIds.map((skuId) => store.listAllHolderIds(tenantId, skuId))),
    licenseErrorTest(deps, tenantId, query),
  ]);
  const onlyHolders =
    holderSets.length > 0 &&
    Object.keys(plan.filter).every((k) => k === "deleted" || k === "licensed") &&
    plan.filter.deleted === false;
  const sets = onlyHolders ? holderSets : [...holderSets, await store.listUserIds(tenantId, plan.filter)];
  const [first, ...rest] = sets;
  if (!first) return 0;
  return [...first].filter((id) => rest.every((set) => set.has(id)) && (inErrors?.(id) ?? true)).length;
}
