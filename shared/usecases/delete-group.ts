// Delete a security group and its memberships. A group of up to 48 members goes in one transaction
// with its audit line; a larger one loses its members in transactions of 48 first, the group last,
// so a failure half-way leaves the group in place and a second DELETE finishes the work.
import type { Actor } from "../domain/model.js";
import type { Deps } from "./deps.js";
import type { TenantWrite } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { changeGroup } from "./steps/group-change.js";

/** Memberships one transaction removes (two rows each, under the 100-action limit with the rest). */
const membersPerCommit = 48;

export async function deleteGroup(deps: Deps, actor: Actor, groupId: string): Promise<void> {
  const { store } = deps;
  const tenantId = actor.tenantId;
  await changeGroup(deps, actor, groupId, async ({ value: group }, at) => {
    const removal = (userId: string): TenantWrite => ({ kind: "removeMember", groupId: group.id, userId });
    for (;;) {
      const page = await store.listMemberIds(tenantId, group.id, { top: membersPerCommit + 1 });
      if (page.items.length <= membersPerCommit) {
        await store.commit(tenantId, [
          ...page.items.map(removal),
          { kind: "deleteGroup", groupId: group.id },
          auditWrite(deps, actor, at, "deleteGroup", `group/${group.id}`, group, null),
        ]);
        return;
      }
      await store.commit(tenantId, page.items.slice(0, membersPerCommit).map(removal));
    }
  });
}
