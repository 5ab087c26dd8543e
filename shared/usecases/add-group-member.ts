// Add one user to a security group (Graph's POST /groups/{id}/members/$ref).
import type { Actor } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { changeGroup } from "./steps/group-change.js";
import { type MemberReference, memberWrites, newMemberIds } from "./steps/new-members.js";

export async function addGroupMember(
  deps: Deps,
  actor: Actor,
  groupId: string,
  member: MemberReference,
): Promise<void> {
  await changeGroup(deps, actor, groupId, async ({ value: group, etag }, at) => {
    const userIds = await newMemberIds(deps, actor.tenantId, group.id, [member]);
    // Rewriting the group under its version makes a deletion in between fail this commit.
    await deps.store.commit(actor.tenantId, [
      { kind: "updateGroup", group, etag },
      ...memberWrites(deps, actor, at, group.id, userIds),
    ]);
  });
}
