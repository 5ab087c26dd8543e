// The audit line a provisioning writes, by the worker or inside a license change's own transaction
// (shared/usecases/license-changes/commit.ts).
import type { User } from "../../domain/model.js";
import type { Deps } from "../deps.js";
import { auditWrite } from "./audit.js";
import { systemActor } from "./system-actor.js";

/** The audit line of a provisioning commit: the same shape as a single user's, or each user's. */
export function provisioningAudit(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  now: Date,
  group: readonly { before: User; after: User }[],
) {
  const [only] = group;
  const [target, before, after] =
    group.length === 1 && only
      ? [`user/${only.after.id}`, only.before.provisioning, only.after.provisioning]
      : [
          `users/${group.length}`,
          group.map(({ before }) => ({ userId: before.id, provisioning: before.provisioning })),
          group.map(({ after }) => ({ userId: after.id, provisioning: after.provisioning })),
        ];
  return auditWrite(deps, systemActor(tenantId), now.toISOString(), "provision", target, before, after);
}
