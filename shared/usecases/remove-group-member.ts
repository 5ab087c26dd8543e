// Remove one user from a security group (Graph's DELETE /groups/{id}/members/{userId}/$ref).
import type { Actor } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { resolveUserKey } from "./read-users.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";

export async function removeGroupMember(
  deps: Deps,
  actor: Actor,
  groupId: string,
  userKey: string,
): Promise<void> {
  const { store } = deps;
  const tenantId = actor.tenantId;
  await changeGroup(deps, actor, groupId, async ({ value: group }, at) => {
    const userId = await resolveUserKey(deps, tenantId, userKey);
    if (!(await store.isMember(tenantId, group.id, userId))) {
      throw notFound(`User ${userKey} as a member of group ${group.id}`);
    }
    await store.commit(tenantId, [
      { kind: "removeMember", groupId: group.id, userId },
      auditWrite(deps, actor, at, "removeGroupMember", `group/${group.id}`, { userId }, null),
    ]);
  });
}
