// Add a user, optionally licensed in the same all-or-nothing request (R12).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { findProduct } from "../domain/catalog.js";
import { type LicenseToAdd, planLicenseChange } from "../domain/license-change.js";
import type { Actor, MailboxType, User, UserType } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { initialProvisioning } from "../domain/provisioning.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { licenseEvents } from "./steps/license-events.js";
import { licenseWrites, readLedgers } from "./steps/license-writes.js";
import { writtenVersion } from "./steps/versions.js";

export interface CreateUserInput {
  readonly userPrincipalName: string;
  readonly displayName: string;
  readonly userType: UserType;
  readonly mailboxType: MailboxType;
  readonly licenses: readonly LicenseToAdd[];
  readonly litigationHold?: boolean;
}

export async function createUser(deps: Deps, actor: Actor, input: CreateUserInput): Promise<Versioned<User>> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  const id = deps.newId();
  const skuIds = input.licenses.flatMap((l) => findProduct(l.skuId)?.skuId ?? []);

  return tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const [taken, ledgers] = await Promise.all([
        store.isUserPrincipalNameTaken(tenantId, input.userPrincipalName),
        readLedgers(store, tenantId, skuIds),
      ]);
      if (taken) {
        throw new ProblemError(
          "Conflict",
          `A user with userPrincipalName ${input.userPrincipalName} already exists.`,
          [{ path: "userPrincipalName", message: "already in use" }],
        );
      }
      const now = clock.now().toISOString();
      const blank: User = {
        id,
        userPrincipalName: input.userPrincipalName,
        displayName: input.displayName,
        userType: input.userType,
        mailboxType: input.mailboxType,
        assignedLicenses: [],
        provisioning: initialProvisioning(input.mailboxType, deps.newId),
        litigationHold: input.litigationHold ?? false,
        createdAt: now,
      };
      const change = planLicenseChange({
        user: blank,
        addLicenses: input.licenses,
        removeLicenses: [],
        mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
        selfServiceSubscriptionIds: new Set(),
        now,
        newPlanStatus: "PendingProvisioning",
      });
      const user: User = { ...blank, assignedLicenses: change.assignedLicenses };
      const { writes } = licenseWrites([{ userId: id, change }], ledgers);
      const write: TenantWrite = { kind: "createUser", user };
      const versions = await deps.outbox.commit(
        tenantId,
        [write, ...writes, auditWrite(deps, actor, now, "createUser", `user/${id}`, null, user)],
        licenseEvents(deps, tenantId, id, change, now),
      );
      return { value: user, etag: writtenVersion(versions, write) };
    }),
  );
}
