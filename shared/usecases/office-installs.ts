// Office installs (R17): up to five devices per user, only while a license includes the Office apps.

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { Actor, OfficeInstall } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { addOfficeInstall } from "../domain/provisioning.js";
import { type Deps, userLockKey } from "./deps.js";
import { auditWrite } from "./steps/audit.js";

export async function installOffice(
  deps: Deps,
  actor: Actor,
  userId: string,
  device: { readonly deviceName: string; readonly platform: "Windows" | "Mac" },
): Promise<OfficeInstall> {
  const { store, tenantLock, clock } = deps;
  const id = deps.newId();
  return tenantLock.run(userLockKey(actor.tenantId, userId), () =>
    retryOnConflict(async () => {
      const found = await store.getUser(actor.tenantId, userId);
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      const now = clock.now().toISOString();
      const after = addOfficeInstall(found.value, device, id, now);
      await store.commit(actor.tenantId, [
        { kind: "updateUser", user: after, etag: found.etag },
        auditWrite(
          deps,
          actor,
          now,
          "installOffice",
          `user/${userId}`,
          found.value.provisioning.officeInstalls,
          after.provisioning.officeInstalls,
        ),
      ]);
      const install = after.provisioning.officeInstalls.find((i) => i.id === id);
      if (!install) throw new Error("the new install is missing after the commit");
      return install;
    }),
  );
}

export async function removeOfficeInstall(
  deps: Deps,
  actor: Actor,
  userId: string,
  installId: string,
): Promise<void> {
  const { store, tenantLock, clock } = deps;
  await tenantLock.run(userLockKey(actor.tenantId, userId), () =>
    retryOnConflict(async () => {
      const found = await store.getUser(actor.tenantId, userId);
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      const before = found.value;
      const installs = before.provisioning.officeInstalls;
      if (!installs.some((i) => i.id === installId)) throw notFound(`Office install ${installId}`);
      const now = clock.now().toISOString();
      const remaining = installs.filter((i) => i.id !== installId);
      await store.commit(actor.tenantId, [
        {
          kind: "updateUser",
          user: { ...before, provisioning: { ...before.provisioning, officeInstalls: remaining } },
          etag: found.etag,
        },
        auditWrite(deps, actor, now, "removeOfficeInstall", `user/${userId}`, installs, remaining),
      ]);
    }),
  );
}
