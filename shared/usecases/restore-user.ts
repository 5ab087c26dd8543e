// Restore a deleted user within the retention window (R20): back, without their direct licenses
// (those are not silently taken back), inheriting again what their groups give; after the window
// the user is gone (404).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { cloudEvent } from "../domain/events.js";
import type { Actor, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { withdrawProvisioning } from "../domain/provisioning.js";
import { isRestorable } from "../domain/retention.js";
import type { Deps } from "./deps.js";
import { reprocessLicenses } from "./group-licenses.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { scheduleRetention } from "./steps/schedule-retention.js";
import { writtenVersion } from "./steps/versions.js";

export async function restoreUser(deps: Deps, actor: Actor, userId: string): Promise<Versioned<User>> {
  const restored = await restoreRecord(deps, actor, userId);
  if (!restored.value.memberOf?.length) return restored;
  // Still a member of their groups: they inherit again, as Microsoft Entra ID does.
  return reprocessLicenses(deps, actor, userId);
}

async function restoreRecord(deps: Deps, actor: Actor, userId: string): Promise<Versioned<User>> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  return tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getUser(tenantId, userId);
      const now = clock.now();
      if (!found || !isRestorable(found.value, now)) throw notFound(`Deleted user ${userId}`);
      const before = found.value;
      const { deletedAt, retainedUntil: _until, ...rest } = before;
      // Deleted before deletions withdrew at once, a user may still hold an Active mailbox: its
      // retention runs from the deletion.
      const after: User = withdrawProvisioning(rest, {
        now: deletedAt ? new Date(deletedAt) : now,
        retentionPeriodMs: deps.retentionPeriodMs,
      });
      const at = now.toISOString();
      await scheduleRetention(deps.retention, tenantId, [{ before, after }]);
      const write: TenantWrite = { kind: "updateUser", user: after, etag: found.etag };
      const versions = await deps.outbox.commit(
        tenantId,
        [write, auditWrite(deps, actor, at, "restoreUser", `user/${userId}`, before, after)],
        [cloudEvent("user.restored", deps.newId(), at, `users/${userId}`, { tenantId, userId })],
      );
      return { value: after, etag: writtenVersion(versions, write) };
    }),
  );
}
