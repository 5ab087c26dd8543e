// assignLicense for one user (R7–R9, R13–R15): all-or-nothing, seats exact under concurrency.

import { refuseOnlyWhenFresh, retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { findProduct } from "../domain/catalog.js";
import { type LicenseToAdd, planLicenseChange } from "../domain/license-change.js";
import type { Actor, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import type { PreconditionOption, TenantWrite } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { licenseEvents } from "./steps/license-events.js";
import { licenseWrites, readLedgers, type SeatChange } from "./steps/license-writes.js";
import { withdrawOnCommit } from "./steps/provisioning-commits.js";
import { scheduleRetention } from "./steps/schedule-retention.js";
import { selfServiceSubscriptionIds } from "./steps/self-service.js";
import { requireVersion, writtenVersion } from "./steps/versions.js";

export interface AssignLicenseInput {
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
}

export interface AssignLicenseResult {
  readonly user: User;
  /** The stored user's version: as written, or as read when nothing was written (a dry run, no change). */
  readonly etag: string;
  readonly seatChanges: readonly SeatChange[];
  readonly dryRun: boolean;
}

export async function assignLicense(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: AssignLicenseInput,
  options: { readonly dryRun: boolean } & PreconditionOption,
): Promise<AssignLicenseResult> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  const skuIds = [...input.addLicenses.map((l) => l.skuId), ...input.removeLicenses]
    .map((skuId) => findProduct(skuId)?.skuId)
    .filter((skuId) => skuId !== undefined);

  const attempt = async (cached: boolean): Promise<AssignLicenseResult> => {
    // One round trip for everything the decision needs: the user and the ledgers it may touch,
    // taken from this process's cache on a first try (their ETags guard the commit).
    const [found, ledgers] = await Promise.all([
      store.getUser(tenantId, userId, { cached }),
      readLedgers(store, tenantId, skuIds, { cached }),
    ]);
    const decided = await refuseOnlyWhenFresh(cached, async () => {
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      // Before any other rule: the caller decided on the version they read, not on this one.
      requireVersion(options.ifMatch, found.etag, `User ${userId}`);
      const before = found.value;
      const now = clock.now().toISOString();
      const change = planLicenseChange({
        user: before,
        addLicenses: input.addLicenses,
        removeLicenses: input.removeLicenses,
        mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
        selfServiceSubscriptionIds: await selfServiceSubscriptionIds(
          store,
          tenantId,
          before.assignedLicenses,
        ),
        now,
        newPlanStatus: "PendingProvisioning",
      });
      return { found, before, now, change, ...licenseWrites([{ userId, change }], ledgers) };
    });
    const { found: user, before, now, change, writes, seatChanges } = decided;
    const {
      users: [withdrawn],
      audit: provisioned,
    } = withdrawOnCommit(deps, tenantId, new Date(now), [
      { before, licensed: { ...before, assignedLicenses: change.assignedLicenses } },
    ]);
    // One user in, one out: a missing one is a bug, never a reason to write the user unchanged.
    if (!withdrawn) throw new Error("withdrawOnCommit answered no user for the one it was given");
    const { after } = withdrawn;
    if (options.dryRun) return { user: after, etag: user.etag, seatChanges, dryRun: true };
    if (change.added.length + change.removed.length + change.plansChanged.length === 0) {
      return { user: before, etag: user.etag, seatChanges, dryRun: false };
    }
    await scheduleRetention(deps.retention, tenantId, [{ before, after }]);
    const userWrite: TenantWrite = { kind: "updateUser", user: after, etag: user.etag };
    const versions = await deps.outbox.commit(
      tenantId,
      [
        userWrite,
        ...writes,
        auditWrite(
          deps,
          actor,
          now,
          "assignLicense",
          `user/${userId}`,
          before.assignedLicenses,
          after.assignedLicenses,
        ),
        ...provisioned,
      ],
      licenseEvents(deps, tenantId, userId, change, now),
    );
    return { user: after, etag: writtenVersion(versions, userWrite), seatChanges, dryRun: false };
  };

  // A dry run writes nothing, so it needs neither the lock nor a retry.
  if (options.dryRun) return attempt(false);
  // With If-Match the user is always read fresh: a cached copy may answer "unchanged" for a user
  // another process changed, and a no-op would then pass the precondition without any commit to fail.
  const mayUseCache = options.ifMatch === undefined;
  return tenantLock.run(tenantId, () => retryOnConflict((tries) => attempt(mayUseCache && tries === 1)));
}
