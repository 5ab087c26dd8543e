// Add one user to a security group (Graph's POST /groups/{id}/members/$ref, a producer's
// group.memberAdded event).
import type { Actor } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { changeGroup } from "./steps/group-change.js";
import { type MemberReference, memberWrites, newMemberIds } from "./steps/new-members.js";

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
  return changeGroup(deps, actor, groupId, async ({ value: group, etag }, at) => {
    const userIds = await newMemberIds(deps, actor.tenantId, group.id, [member], existing);
    if (userIds.length === 0) return false;
    // Rewriting the group under its version makes a deletion in between fail this commit.
    await deps.store.commit(actor.tenantId, [
      { kind: "updateGroup", group, etag },
      ...memberWrites(deps, actor, at, group.id, userIds),
    ]);
    return true;
  });
}
