// assignLicense for one user (R7–R9, R13–R15): all-or-nothing, seats exact under concurrency.
// Calls for one tenant that wait for its lock (the inner requests of a $batch, a script's parallel
// calls, producers' events) go through the license-change pipeline together: one round, one
// transaction, each call decided on its own (group commit). A call that finds the lock free is a
// round of one.

import { type ItemOutcome, LockedGroups } from "../concurrency/locked-groups.js";
import { inheritedLicenseRefusal } from "../domain/license-sources.js";
import type { Actor, User } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import type { LicenseRequest, SeatChange, Wanted } from "./license-changes/decide.js";
import { changeLicenses, type Outcome, type RoundOptions } from "./license-changes/run.js";
import type { PreconditionOption } from "./ports.js";

export interface AssignLicenseResult {
  readonly user: User;
  /** The stored user's version: as written, or as read when nothing was written (a dry run, no change). */
  readonly etag: string;
  readonly seatChanges: readonly SeatChange[];
  readonly dryRun: boolean;
  /** Did the call change the user (or, for a dry run, would it)? */
  readonly changed: boolean;
}

/** How assignLicense's changes are recorded: an audit line and events per user. */
const single: RoundOptions = {
  audit: { per: "user", action: "assignLicense" },
  events: "perUser",
  provision: "withdraw",
};

const resultOf = (outcome: Outcome | undefined, dryRun: boolean): ItemOutcome<AssignLicenseResult> => {
  if (!outcome) return { ok: false, error: new Error("the license-change pipeline gave a call no answer") };
  if (!outcome.ok) return { ok: false, error: outcome.error };
  // Only a new user lacks a version, and assignLicense never creates one.
  const { user, etag = "", seatChanges, changed } = outcome;
  return { ok: true, value: { user, etag, seatChanges, changed, dryRun } };
};

const answer = (outcome: ItemOutcome<AssignLicenseResult>): AssignLicenseResult => {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
};

/**
 * Changes one user's licenses as `wanted` says (a fixed change, or one computed from the user as
 * stored, as a producer's "remove everything" is).
 */
export async function assignLicense(
  deps: Deps,
  actor: Actor,
  userId: string,
  wanted: Wanted,
  options: { readonly dryRun: boolean } & PreconditionOption,
): Promise<AssignLicenseResult> {
  const request: LicenseRequest = {
    userId,
    actor,
    mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
    wanted,
    ifMatch: options.ifMatch,
  };
  const call = async (): Promise<AssignLicenseResult> => {
    // A dry run writes nothing, so it needs neither the lock nor a group.
    if (options.dryRun) {
      const [outcome] = await changeLicenses(deps, actor.tenantId, [request], { ...single, dryRun: true });
      return answer(resultOf(outcome, true));
    }
    return groupsOf(deps).submit(actor.tenantId, request);
  };
  return call().catch(async (error: unknown) => {
    throw await namingGroups(deps, actor.tenantId, error);
  });
}

/**
 * Graph's refusal of an inherited license names no group; this one names each by its display name
 * too, so the caller knows where to remove it instead.
 */
async function namingGroups(deps: Deps, tenantId: string, error: unknown): Promise<unknown> {
  if (!(error instanceof ProblemError) || !inheritedLicenseRefusal(error)) return error;
  const groupIds = [...new Set((error.errors ?? []).map((e) => String(e.groupId)))];
  const groups = await Promise.all(groupIds.map((id) => deps.store.getGroup(tenantId, id)));
  const names = groupIds.map((id, i) => `${groups[i]?.value.displayName ?? "a deleted group"} (${id})`);
  return new ProblemError(
    error.code,
    error.detail.replace(
      /\(.*\)$/s,
      `(It comes from ${names.join(" and ")}: remove the user from the group, or the license from the group, instead.)`,
    ),
    error.errors,
  );
}

/** The groups of each process's deps (one per tenant at a time, behind that tenant's lock). */
const groups = new WeakMap<Deps, LockedGroups<LicenseRequest, AssignLicenseResult>>();
function groupsOf(deps: Deps): LockedGroups<LicenseRequest, AssignLicenseResult> {
  let found = groups.get(deps);
  if (!found) {
    found = new LockedGroups(deps.tenantLock, (tenantId, requests) => applyGroup(deps, tenantId, requests));
    groups.set(deps, found);
  }
  return found;
}

/** Answers every call of a group through the pipeline (holding the tenant's lock). */
async function applyGroup(
  deps: Deps,
  tenantId: string,
  requests: readonly LicenseRequest[],
): Promise<ItemOutcome<AssignLicenseResult>[]> {
  try {
    const outcomes = await changeLicenses(deps, tenantId, requests, single);
    return requests.map((_, i) => resultOf(outcomes[i], false));
  } catch (error) {
    if (requests.length === 1) return [{ ok: false, error }];
    // Not one call's refusal (storage unreachable, a write the table refused, no end to
    // conflicts): each call goes alone, so that a failure is only the failing call's.
    const alone: ItemOutcome<AssignLicenseResult>[] = [];
    for (const request of requests) {
      alone.push(
        await changeLicenses(deps, tenantId, [request], single).then(
          ([outcome]) => resultOf(outcome, false),
          (failure: unknown) => ({ ok: false as const, error: failure }),
        ),
      );
    }
    return alone;
  }
}
