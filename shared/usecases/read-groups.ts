// The tenant's security groups, their members and a user's groups (issue 19). Members and
// memberships are range reads of the membership rows and their reverse index; a member deleted
// since, or a group gone, is left out.
import type { Group, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import type { GroupListOptions, IdPageOptions, Page, Versioned } from "./ports.js";
import { jobSummary } from "./read-job.js";
import { getVersionedUser } from "./read-users.js";

export async function getGroup(deps: Deps, tenantId: string, groupId: string): Promise<Versioned<Group>> {
  const found = await deps.store.getGroup(tenantId, groupId.toLowerCase());
  if (!found) throw notFound(`Group ${groupId}`);
  return found;
}

export function listGroups(deps: Deps, tenantId: string, options: GroupListOptions): Promise<Page<Group>> {
  return deps.store.listGroups(tenantId, options);
}

/**
 * Groups with members whose licenses from them are held back (Graph's `hasMembersWithLicenseErrors
 * eq true`), from the index of those members: few, so one page, in id order.
 */
export async function listGroupsWithLicenseErrors(
  deps: Deps,
  tenantId: string,
  displayNamePrefix?: string,
): Promise<Group[]> {
  const groupIds = [...new Set((await deps.store.listLicenseErrors(tenantId)).map((e) => e.groupId))].sort();
  const groups = await Promise.all(groupIds.map((id) => deps.store.getGroup(tenantId, id)));
  const prefix = displayNamePrefix?.toLowerCase() ?? "";
  return groups.flatMap((found) =>
    found?.value.displayName.toLowerCase().startsWith(prefix) ? [found.value] : [],
  );
}

/** The members whose licenses from the group are held back, with why (membersWithLicenseErrors). */
export async function listMembersWithLicenseErrors(
  deps: Deps,
  tenantId: string,
  groupId: string,
): Promise<User[]> {
  const { value: group } = await getGroup(deps, tenantId, groupId);
  const errors = await deps.store.listLicenseErrors(tenantId, group.id);
  const users = await deps.store.getUsers(
    tenantId,
    errors.map((e) => e.userId),
  );
  return errors.flatMap((e) => {
    const user = users.get(e.userId)?.value;
    return user && !user.deletedAt ? [user] : [];
  });
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

/** Graph's licenseProcessingState of a group, with the counts a caller shows progress by. */
export interface GroupLicenseProcessing {
  readonly state: "QueuedForProcessing" | "ProcessingInProgress" | "ProcessingComplete";
  readonly membersTotal: number;
  readonly membersProcessed: number;
  readonly membersInError: number;
}

/** How far the group's current licenses have reached its members, and how many are in error now. */
export async function groupLicenseProcessing(
  deps: Deps,
  tenantId: string,
  group: Group,
): Promise<GroupLicenseProcessing> {
  const job = group.licenseJobId ? await deps.store.getJob(tenantId, group.licenseJobId) : undefined;
  // Read without the chunks' users and results: a group of 100,000 members is 532 chunks.
  const summary = job && jobSummary(job, await deps.store.listChunkProgress(tenantId, job));
  const done = !summary || (summary.status !== "Queued" && summary.status !== "Running");
  // While the job runs, its own count of members held back; once done, the members in error now
  // (a waiting member served since is no longer one).
  const membersInError = done
    ? (await deps.store.listLicenseErrors(tenantId, group.id)).length
    : summary.failed;
  if (!summary) return { state: "ProcessingComplete", membersTotal: 0, membersProcessed: 0, membersInError };
  return {
    state: done
      ? "ProcessingComplete"
      : summary.status === "Queued"
        ? "QueuedForProcessing"
        : "ProcessingInProgress",
    membersTotal: summary.job.total,
    membersProcessed: summary.processed,
    membersInError,
  };
}
