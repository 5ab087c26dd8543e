// Change a user's display name, mail alias, Graph profile properties, usage location, whether they may sign in
// (a blocked user keeps their licenses) or litigation hold (R19: a held enterprise mailbox becomes
// inactive instead of being purged).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { Actor, User } from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { changeProfile, type ProfileChanges } from "../domain/user-profile.js";
import type { Deps } from "./deps.js";
import { reprocessLicenses } from "./group-licenses.js";
import type { PreconditionOption, TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { requireVersion, writtenVersion } from "./steps/versions.js";

/** What to change: a property left out keeps its value; a profile property set to null is cleared. */
export interface UpdateUserInput extends ProfileChanges {
  readonly displayName?: string | undefined;
  readonly accountEnabled?: boolean | undefined;
  readonly mailNickname?: string | undefined;
  readonly litigationHold?: boolean | undefined;
  /** ISO 3166-1 alpha-2; null clears it. */
  readonly usageLocation?: string | null | undefined;
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: UpdateUserInput,
  options: PreconditionOption = {},
): Promise<Versioned<User>> {
  const updated = await updateRecord(deps, actor, userId, input, options);
  const held = (updated.value.licenseSources ?? []).some((s) => s.error !== null);
  if (input.usageLocation === undefined || !held) return updated;
  // A new usage location may let what a group holds back through: its groups apply again at once.
  return reprocessLicenses(deps, actor, userId);
}

async function updateRecord(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: UpdateUserInput,
  options: PreconditionOption,
): Promise<Versioned<User>> {
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(actor.tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getUser(actor.tenantId, userId);
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      requireVersion(options.ifMatch, found.etag, `User ${userId}`);
      const before = found.value;
      const after: User = {
        ...before,
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.accountEnabled === undefined ? {} : { accountEnabled: input.accountEnabled }),
        ...(input.mailNickname === undefined ? {} : { mailNickname: input.mailNickname }),
        profile: changeProfile(before.profile, input),
        ...(input.usageLocation === undefined ? {} : { usageLocation: input.usageLocation }),
        ...(input.litigationHold === undefined ? {} : { litigationHold: input.litigationHold }),
      };
      const write: TenantWrite = { kind: "updateUser", user: after, etag: found.etag };
      const versions = await store.commit(actor.tenantId, [
        write,
        auditWrite(deps, actor, clock.now().toISOString(), "updateUser", `user/${userId}`, before, after),
      ]);
      return { value: after, etag: writtenVersion(versions, write) };
    }),
  );
}
