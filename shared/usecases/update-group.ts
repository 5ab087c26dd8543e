// Change a security group's properties and add members by reference (Graph's PATCH with
// members@odata.bind): all or nothing, so when any reference fails no member is added.
import type { Actor, Group } from "../domain/model.js";
import type { Deps } from "./deps.js";
import type { TenantWrite } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";
import { type MemberReference, memberWrites, newMemberIds } from "./steps/new-members.js";

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
  return changeGroup(deps, actor, groupId, async ({ value: before, etag }, at) => {
    const memberIds = await newMemberIds(deps, tenantId, before.id, input.members ?? []);
    const after: Group = {
      ...before,
      ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
      ...(input.mailNickname === undefined ? {} : { mailNickname: input.mailNickname }),
      ...(input.description === undefined ? {} : { description: input.description }),
    };
    const target = `group/${before.id}`;
    const changed = JSON.stringify(after) !== JSON.stringify(before);
    // The group is written under its version even when only members change: a deletion or
    // another change in between fails the commit, and the retry decides again.
    const writes: TenantWrite[] = [
      { kind: "updateGroup", group: after, etag },
      ...(changed ? [auditWrite(deps, actor, at, "updateGroup", target, before, after)] : []),
      ...memberWrites(deps, actor, at, before.id, memberIds),
    ];
    await deps.store.commit(tenantId, writes);
    return after;
  });
}
