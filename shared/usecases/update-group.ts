// Change a security group's properties and add members by reference (Graph's PATCH with
// members@odata.bind): all or nothing, so when any reference fails no member is added.
import type { Actor, Group } from "../domain/model.js";
import type { Deps } from "./deps.js";
import { changeMembers } from "./group-licenses.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";
import { type MemberReference, newMemberIds } from "./steps/new-members.js";

/** Graph's limit of members@odata.bind in one request. */
export const maxMembersPerBind = 20;

/** What to change: a property left out keeps its value; a description set to null is cleared. */
export interface UpdateGroupInput {
  readonly displayName?: string | undefined;
  readonly mailNickname?: string | undefined;
  readonly description?: string | null | undefined;
  readonly members?: readonly MemberReference[] | undefined;
}

export async function updateGroup(
  deps: Deps,
  actor: Actor,
  groupId: string,
  input: UpdateGroupInput,
): Promise<Group> {
  const tenantId = actor.tenantId;
  let memberIds: string[] = [];
  const after = await changeGroup(deps, actor, groupId, async ({ value: before, etag }, at) => {
    // Every reference is checked before anything is written: when one fails, no member is added.
    memberIds = await newMemberIds(deps, tenantId, before.id, input.members ?? []);
    const after: Group = {
      ...before,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.mailNickname === undefined ? {} : { mailNickname: input.mailNickname }),
      ...(input.description === undefined ? {} : { description: input.description }),
    };
    const target = `group/${before.id}`;
    const changed = JSON.stringify(after) !== JSON.stringify(before);
    if (changed) {
      await deps.store.commit(tenantId, [
        { kind: "updateGroup", group: after, etag },
        auditWrite(deps, actor, at, "updateGroup", target, before, after),
      ]);
    }
    return after;
  });
  // The members join with what the group gives, each commit guarded by the group's version.
  if (memberIds.length > 0) await changeMembers(deps, actor, after.id, memberIds, true);
  return after;
}
