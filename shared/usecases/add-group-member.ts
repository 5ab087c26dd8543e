// Add one user to a security group (Graph's POST /groups/{id}/members/$ref, a producer's
// group.memberAdded event): the member inherits the group's licenses in the same commit.
import type { Actor } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { changeMembers } from "./group-licenses.js";
import { getGroup } from "./read-groups.js";
import { type MemberReference, newMemberIds } from "./steps/new-members.js";

/**
 * Adds the member; whether it was added. An existing member is Graph's 400, or, with
 * `existing: "skip"`, nothing to do (false).
 */
export async function addGroupMember(
  deps: Deps,
  actor: Actor,
  groupId: string,
  member: MemberReference,
  existing: "refuse" | "skip" = "refuse",
): Promise<boolean> {
  const { value: group } = await getGroup(deps, actor.tenantId, groupId);
  const userIds = await newMemberIds(deps, actor.tenantId, group.id, [member], existing);
  if (userIds.length === 0) return false;
  await changeMembers(deps, actor, group.id, userIds, true);
  return true;
}
