// Add a user, optionally licensed in the same all-or-nothing request (R12).

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import type { LicenseToAdd } from "../domain/license-change.js";
import type { Actor, MailboxType, User, UserType } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { initialProvisioning } from "../domain/provisioning.js";
import { hasRight } from "../domain/roles.js";
import { aliasOf, changeProfile, emptyProfile, type ProfileChanges } from "../domain/user-profile.js";
import type { Deps } from "./deps.js";
import { attemptRound } from "./license-changes/run.js";
import type { Versioned } from "./ports.js";

/** The new user's properties; Graph's profile properties (ProfileChanges) not given are not set. */
export interface CreateUserInput extends ProfileChanges {
  readonly userPrincipalName: string;
  readonly displayName: string;
  /** False: the user is created blocked from signing in. */
  readonly accountEnabled?: boolean | undefined;
  /** The mail alias; the userPrincipalName's alias when left out. */
  readonly mailNickname?: string | undefined;
  readonly userType: UserType;
  readonly mailboxType: MailboxType;
  readonly licenses: readonly LicenseToAdd[];
  readonly litigationHold?: boolean;
  /** ISO 3166-1 alpha-2; left out (or null): the organisation's countryLetterCode, if it has one. */
  readonly usageLocation?: string | null | undefined;
}

export async function createUser(deps: Deps, actor: Actor, input: CreateUserInput): Promise<Versioned<User>> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  const id = deps.newId();

  return tenantLock.run(tenantId, () =>
    retryOnConflict(async (tries) => {
      if (await store.isUserPrincipalNameTaken(tenantId, input.userPrincipalName)) {
        throw new ProblemError(
          "Conflict",
          `A user with userPrincipalName ${input.userPrincipalName} already exists.`,
          [{ path: "userPrincipalName", message: "already in use" }],
        );
      }
      const usageLocation =
        input.usageLocation ??
        (await store.getOrganization(tenantId, { cached: tries === 1 }))?.value.countryLetterCode ??
        null;
      const user: User = {
        id,
        userPrincipalName: input.userPrincipalName,
        displayName: input.displayName,
        accountEnabled: input.accountEnabled ?? true,
        mailNickname: input.mailNickname ?? aliasOf(input.userPrincipalName),
        profile: changeProfile(emptyProfile, input),
        usageLocation,
        userType: input.userType,
        mailboxType: input.mailboxType,
        assignedLicenses: [],
        provisioning: initialProvisioning(input.mailboxType, deps.newId),
        litigationHold: input.litigationHold ?? false,
        createdAt: clock.now().toISOString(),
      };
      // Licensed in the same all-or-nothing step, through the one license-change pipeline.
      const { outcomes } = await attemptRound(
        deps,
        tenantId,
        [
          {
            userId: id,
            actor,
            mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
            wanted: { addLicenses: input.licenses, removeLicenses: [] },
            creating: user,
          },
        ],
        {
          audit: { per: "user", action: "createUser" },
          events: "perUser",
          provision: "withdraw",
          cached: tries === 1,
        },
      );
      const [outcome] = outcomes;
      if (!outcome) throw new Error("the license-change pipeline gave the new user no answer");
      if (!outcome.ok) throw outcome.error;
      if (outcome.etag === undefined) throw new Error("the commit answered no version for the new user");
      return { value: outcome.user, etag: outcome.etag };
    }),
  );
}
