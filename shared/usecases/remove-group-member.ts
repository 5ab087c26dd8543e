// Remove one user from a security group (Graph's DELETE /groups/{id}/members/{userId}/$ref, a
// producer's group.memberRemoved event).
import type { Actor } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { resolveUserKey } from "./read-users.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";

/**
 * Removes the member; whether it was removed. A user who is not a member is Graph's 404, or, with
 * `absent: "skip"`, nothing to do (false) when the user exists.
 */
export async function removeGroupMember(
  deps: Deps,
  actor: Actor,
  groupId: string,
  userKey: string,
  absent: "refuse" | "skip" = "refuse",
): Promise<boolean> {
  const { store } = deps;
  const tenantId = actor.tenantId;
  return changeGroup(deps, actor, groupId, async ({ value: group }, at) => {
    const userId = await resolveUserKey(deps, tenantId, userKey);
    if (!(await store.isMember(tenantId, group.id, userId))) {
      if (absent === "refuse") throw notFound(`User ${userKey} as a member of group ${group.id}`);
      const user = await store.getUser(tenantId, userId);
      if (!user || user.value.deletedAt) throw notFound(`User ${userKey}`);
      return false;
    }
    await store.commit(tenantId, [
      { kind: "removeMember", groupId: group.id, userId },
      auditWrite(deps, actor, at, "removeGroupMember", `group/${group.id}`, { userId }, null),
    ]);
    return true;
  });
}
