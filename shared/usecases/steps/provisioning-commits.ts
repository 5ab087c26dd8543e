// Provisioning inside a commit: the audit line a provisioning writes, and what a license change's
// own transaction does to its users' provisioning (only what losing a license takes away, or all of
// it for bulk chunks), so that a read right after the commit shows it.
import type { User } from "../../domain/model.js";
import { reconcileProvisioning, withdrawProvisioning } from "../../domain/provisioning.js";
import type { Deps } from "../deps.js";
import type { TenantWrite } from "../ports.js";
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

/** A user of a license change: as read, and with the new licenses. */
interface Licensed {
  readonly before: User;
  readonly licensed: User;
}

/** The users of a license change as written, and one provision audit line for those `apply` changed. */
function onCommit<T extends Licensed>(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  now: Date,
  users: readonly T[],
  apply: (licensed: User) => User,
): { readonly users: readonly (T & { readonly after: User })[]; readonly audit: readonly TenantWrite[] } {
  const applied = users.map((user) => ({ ...user, after: apply(user.licensed) }));
  const changed = applied.filter(({ licensed, after }) => JSON.stringify(after) !== JSON.stringify(licensed));
  return {
    users: applied,
    audit: changed.length > 0 ? [provisioningAudit(deps, tenantId, now, changed)] : [],
  };
}

/**
 * What losing licenses takes away, done in the license change's own transaction so that a read
 * right after it shows it (`withdrawProvisioning`); the worker gives the rest later.
 */
export const withdrawOnCommit = <T extends Licensed>(
  deps: Pick<Deps, "newId" | "retentionPeriodMs">,
  tenantId: string,
  now: Date,
  users: readonly T[],
) =>
  onCommit(deps, tenantId, now, users, (licensed) =>
    withdrawProvisioning(licensed, { now, retentionPeriodMs: deps.retentionPeriodMs }),
  );

/** Full provisioning in the license change's own transaction (bulk chunks): nothing left for the worker. */
export const provisionOnCommit = <T extends Licensed>(
  deps: Pick<Deps, "newId" | "retentionPeriodMs">,
  tenantId: string,
  now: Date,
  users: readonly T[],
) =>
  onCommit(deps, tenantId, now, users, (licensed) =>
    reconcileProvisioning(licensed, { now, retentionPeriodMs: deps.retentionPeriodMs, newId: deps.newId }),
  );
