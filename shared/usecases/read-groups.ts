// The tenant's security groups, their members and a user's groups (issue 19). Members and
// memberships are range reads of the membership rows and their reverse index; a member deleted
// since, or a group gone, is left out.
import type { Group, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { GroupListOptions, IdPageOptions, Page, Versioned } from "./ports.js";
import { getVersionedUser } from "./read-users.js";

export async function getGroup(deps: Deps, tenantId: string, groupId: string): Promise<Versioned<Group>> {
  const found = await deps.store.getGroup(tenantId, groupId.toLowerCase());
  if (!found) throw notFound(`Group ${groupId}`);
  return found;
}

export function listGroups(deps: Deps, tenantId: string, options: GroupListOptions): Promise<Page<Group>> {
  return deps.store.listGroups(tenantId, options);
}

export function countGroups(
  deps: Deps,
  tenantId: string,
  options: { readonly displayNamePrefix?: string },
): Promise<number> {
  return deps.store.countGroups(tenantId, options);
}

/** A page of the group's members (active users), in id order. */
export async function listMembers(
  deps: Deps,
  tenantId: string,
  groupId: string,
  options: IdPageOptions,
): Promise<Page<User>> {
  const { value: group } = await getGroup(deps, tenantId, groupId);
  const page = await deps.store.listMemberIds(tenantId, group.id, options);
  const users = await deps.store.getUsers(tenantId, page.items);
  const items = page.items.flatMap((id) => {
    const user = users.get(id)?.value;
    return user && !user.deletedAt ? [user] : [];
  });
  return { ...page, items };
}

/** A page of the groups a user (by id or userPrincipalName) is a member of, in id order. */
export async function listMemberOf(
  deps: Deps,
  tenantId: string,
  userKey: string,
  options: IdPageOptions,
): Promise<Page<Group>> {
  const { value: user } = await getVersionedUser(deps, tenantId, userKey);
  const page = await deps.store.listMemberOfIds(tenantId, user.id, options);
  const groups = await Promise.all(page.items.map((id) => deps.store.getGroup(tenantId, id)));
  return { ...page, items: groups.flatMap((found) => (found ? [found.value] : [])) };
}
