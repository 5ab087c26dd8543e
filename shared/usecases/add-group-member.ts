// Add one user to a security group (Graph's POST /groups/{id}/members/$ref).
import type { Actor } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";
import { type MemberReference, newMemberIds } from "./steps/new-members.js";

export async function addGroupMember(
  deps: Deps,
  actor: Actor,
  groupId: string,
  member: MemberReference,
): Promise<void> {
  await changeGroup(deps, actor, groupId, async ({ value: group, etag }, at) => {
    const [userId = ""] = await newMemberIds(deps, actor.tenantId, group.id, [member]);
    // Rewriting the group under its version makes a deletion in between fail this commit.
    await deps.store.commit(actor.tenantId, [
      { kind: "updateGroup", group, etag },
      { kind: "addMember", groupId: group.id, userId },
      auditWrite(deps, actor, at, "addGroupMember", `group/${group.id}`, null, { userId }),
    ]);
  });
}
