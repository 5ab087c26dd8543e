// Remove one user from a security group (Graph's DELETE /groups/{id}/members/{userId}/$ref, a
// producer's group.memberRemoved event): what only that group gave goes in the same commit.
import type { Actor } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { changeMembers } from "./group-licenses.js";
import { getGroup } from "./read-groups.js";
import { resolveUserKey } from "./read-users.js";

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
  const { value: group } = await getGroup(deps, tenantId, groupId);
  const userId = await resolveUserKey(deps, tenantId, userKey);
  if (!(await store.isMember(tenantId, group.id, userId))) {
    if (absent === "refuse") throw notFound(`User ${userKey} as a member of group ${group.id}`);
    const user = await store.getUser(tenantId, userId);
    if (!user || user.value.deletedAt) throw notFound(`User ${userKey}`);
    return false;
  }
  await changeMembers(deps, actor, group.id, [userId], false);
  return true;
}
