// Delete a security group and its memberships. Refused while the group carries licenses, as
// Microsoft Entra ID refuses it: its members would lose them without anyone deciding so. The
// members leave first, a page at a time, each through the license pipeline (their memberships are
// part of their record); the group goes last, so a failure half-way leaves it in place and a second
// DELETE finishes the work.
import type { Actor } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import type { Deps } from "./deps.js";
import { changeMembers } from "./group-licenses.js";
import { getGroup } from "./read-groups.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";

/** Members taken out per page. */
const membersPerPage = 100;

export async function deleteGroup(deps: Deps, actor: Actor, groupId: string): Promise<void> {
  const { store } = deps;
  const tenantId = actor.tenantId;
  const { value: group } = await getGroup(deps, tenantId, groupId);
  const refuseWhileLicensed = (licenses: number) => {
    if (licenses === 0) return;
    throw new ProblemError(
      "Conflict",
      `Group ${group.displayName} (${group.id}) has ${licenses} ${licenses === 1 ? "license" : "licenses"} ` +
        "assigned; its members would lose them. Remove the licenses from the group first " +
        "(POST /groups/{id}/assignLicense with removeLicenses), then delete it.",
    );
  };
  refuseWhileLicensed(group.assignedLicenses.length);
  for (;;) {
    for (;;) {
      const page = await store.listMemberIds(tenantId, group.id, { top: membersPerPage });
      if (page.items.length === 0) break;
      await changeMembers(deps, actor, group.id, page.items, false);
    }
    const deleted = await changeGroup(deps, actor, group.id, async ({ value: current }, at) => {
      refuseWhileLicensed(current.assignedLicenses.length);
      // A member who joined meanwhile (another instance) leaves first, or they would keep a membership
      // of a group that no longer exists.
      if ((await store.listMemberIds(tenantId, current.id, { top: 1 })).items.length > 0) return false;
      await store.commit(tenantId, [
        { kind: "deleteGroup", groupId: current.id },
        auditWrite(deps, actor, at, "deleteGroup", `group/${current.id}`, current, null),
      ]);
      return true;
    });
    if (deleted) return;
  }
}
