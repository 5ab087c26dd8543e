// The tenant's users: one by id or sign-in name, a page of them or how many, filtered (R16, R20,
// R21, R23). Each filter is answered from the cheapest record that can serve it: a sign-in name from
// its reservation (a point read), a product's holders from the holder index (a range read), the
// rest from the users' stored properties (a server-side filter).
import { findProduct } from "../domain/catalog.js";
import type { User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
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
  | { readonly kind: "userType"; readonly equals: "Member" | "Guest" };

export interface UserQuery {
  readonly licensed?: boolean;
  /** Shared, room and resource mailboxes over their free quota without a license (R21). */
  readonly needsLicense?: boolean;
  /** Deleted users still in their retention window, instead of the active ones (R20). */
  readonly deleted?: boolean;
  readonly skuId?: string;
  readonly where?: readonly UserCondition[];
}

export interface ListUsersQuery extends UserQuery {
  readonly top: number;
  readonly continuation?: string;
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
  const prefixes = where.flatMap((c) =>
    c.kind === "startsWith" ? [{ property: c.property, prefix: c.prefix }] : [],
  );
  const filter: UserFilter = {
    ...(query.licensed === undefined ? {} : { licensed: query.licensed }),
    ...(query.needsLicense === undefined ? {} : { needsLicense: query.needsLicense }),
    deleted: query.deleted === true,
    ...(userTypes[0] === undefined ? {} : { userType: userTypes[0] }),
    ...(prefixes.length === 0 ? {} : { prefixes }),
  };
  // Conditions no user can meet: two user types, or a product the catalog does not know.
  const impossible =
    userTypes.length > 1 ||
    holds.some((skuId) => !findProduct(skuId)) ||
    (holds.length > 0 && query.licensed === false);
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
  }
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
  return found && meets(found.value, query, where) ? [found.value] : [];
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
  const holderSets = await Promise.all(plan.skuIds.map((skuId) => store.listAllHolderIds(tenantId, skuId)));
  const onlyHolders =
    holderSets.length > 0 &&
    Object.keys(plan.filter).every((k) => k === "deleted" || k === "licensed") &&
    plan.filter.deleted === false;
  const sets = onlyHolders ? holderSets : [...holderSets, await store.listUserIds(tenantId, plan.filter)];
  const [first, ...rest] = sets;
  if (!first) return 0;
  return [...first].filter((id) => rest.every((set) => set.has(id))).length;
}
