// The one decision "change this user's licenses" (R7–R9, R13–R15, R18): from a request, the user as
// stored and the seats the decisions before it in the same round left, either the caller's own
// refusal, "nothing to do", or the change with the user as it will be written. Pure: no I/O, the
// same for a single assignLicense, a $batch round, a product route, a bulk chunk, a new user and a
// producer's event.
import type { LicenseChange, LicenseToAdd } from "../../domain/license-change.js";
import { checkedLicensesToAdd, planLicenseChange, requireProduct } from "../../domain/license-change.js";
import {
  assignmentErrorOf,
  changeTo,
  effectiveLicenses,
  type GroupGrant,
  type LicenseAssignmentError,
  type LicenseSource,
  type Membership,
  sourcesOf,
  withDirectChange,
  withGrant,
  withGroupError,
} from "../../domain/license-sources.js";
import type { Actor, SeatLedger, User } from "../../domain/model.js";
import { notFound, ProblemError } from "../../domain/problem.js";
import { reconcileProvisioning, withdrawProvisioning } from "../../domain/provisioning.js";
import { availableUnits, consumeSeats, emptyLedger, ensureSeats } from "../../domain/seats.js";
import { usageLocationProblem } from "../../domain/usage-location.js";
import type { IfMatch, TenantWrite, Versioned } from "../ports.js";
import { requireVersion } from "../steps/versions.js";

/** What a caller asks of one user's licenses, as assignLicense's body says it. */
export interface LicenseChangeInput {
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
}

/** No change of direct assignments: a request only about groups (a membership, a group's grant). */
export const noDirectChange: LicenseChangeInput = { addLicenses: [], removeLicenses: [] };

/** A change fixed by the caller, or one that depends on what the user holds (bulk operations). */
export type Wanted = LicenseChangeInput | ((user: User) => LicenseChangeInput);

export interface LicenseRequest {
  readonly userId: string;
  /** Who asks: the audit line names them. */
  readonly actor: Actor;
  /** May this request license a guest (R13)? */
  readonly mayLicenseGuests: boolean;
  readonly wanted: Wanted;
  /** The versions of the user the caller decided on (If-Match); any other is refused. */
  readonly ifMatch?: IfMatch | undefined;
  /** A user being created with their licenses (createUser): written only if the name is free. */
  readonly creating?: User;
  /** The user joins or leaves a group (issue 19): what only that group gave goes with it. */
  readonly membership?: { readonly groupId: string; readonly member: boolean };
  /**
   * What groups give now: each applied to a member whose last version of it is not newer, all or
   * nothing per group; a refusal by the rules is recorded on the group's entries, never answered.
   */
  readonly grants?: readonly GroupGrant[];
  /** Writes that commit only with this request's change (a membership's rows, its audit line). */
  readonly with?: readonly TenantWrite[];
}

/** How the users' provisioning moves in the change's own transaction. */
export type ProvisionMode =
  /** Only what losing a license takes away; the worker gives the rest after the event. */
  | "withdraw"
  /** All of it (bulk chunks): nothing is left for the worker. */
  | "full";

/** What every decision of a round shares. */
export interface RoundContext {
  readonly now: string;
  /** Self-service subscriptions not taken over (R6), among those the round's users hold through. */
  readonly selfServiceSubscriptionIds: ReadonlySet<string>;
  readonly provision: ProvisionMode;
  readonly retentionPeriodMs: number;
  readonly newId: () => string;
  /**
   * The organisation's default country for users without a usageLocation: null when it has none,
   * undefined for a tenant whose organisation was never set up (its assignments are not checked
   * for a missing location, as before usage locations existed).
   */
  readonly defaultUsageLocation: string | null | undefined;
}

export interface SeatChange {
  readonly skuId: string;
  readonly delta: number;
  readonly availableBefore: number;
  readonly availableAfter: number;
}

export type Decision =
  | {
      readonly kind: "refused";
      readonly request: LicenseRequest;
      readonly error: ProblemError;
      /** The user it was decided on, if one was found. */
      readonly user?: Versioned<User> | undefined;
    }
  | { readonly kind: "unchanged"; readonly request: LicenseRequest; readonly user: Versioned<User> }
  | {
      readonly kind: "changed";
      readonly request: LicenseRequest;
      /** The user as stored (undefined for a user being created) and the version to write against. */
      readonly before: User | undefined;
      readonly etag: string | undefined;
      readonly change: LicenseChange;
      /** The user with the new licenses, before provisioning moved. */
      readonly licensed: User;
      /** The user as the commit writes them: licensed, and provisioning moved as the round's mode says. */
      readonly after: User;
      readonly seatChanges: readonly SeatChange[];
    };

/** The seats of each product as the round's decisions so far leave them. */
export type SeatBook = Map<string, SeatLedger>;

/** What the request asks of this user. */
export const wantedOf = (request: LicenseRequest, user: User): LicenseChangeInput =>
  typeof request.wanted === "function" ? request.wanted(user) : request.wanted;

const changes = (change: LicenseChange): number =>
  change.added.length + change.removed.length + change.plansChanged.length;

/** Does the request reach beyond the licenses a user holds directly? */
const inherits = (request: LicenseRequest, user: User): boolean =>
  request.membership !== undefined || (request.grants?.length ?? 0) > 0 || user.licenseSources !== undefined;

const sameRecord = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The user's memberships after the request's join or leave. */
function membershipsAfter(user: User, request: LicenseRequest): Membership[] {
  const current = [...(user.memberOf ?? [])];
  const { membership } = request;
  if (!membership) return current;
  const others = current.filter((m) => m.groupId !== membership.groupId);
  if (!membership.member) return others;
  const was = current.find((m) => m.groupId === membership.groupId);
  return [...others, was ?? { groupId: membership.groupId, licenseVersion: 0 }];
}

interface Sourced {
  readonly change: LicenseChange;
  readonly licenseSources: readonly LicenseSource[] | undefined;
  readonly memberOf: readonly Membership[];
}

const isCallersMistake = (error: unknown): error is ProblemError =>
  error instanceof ProblemError && error.isCallersMistake;

/**
 * `entries` as the rules allow them, each group's given entries all or nothing: what a group's
 * change or a member leaving leaves may be refused for another group's sake (its license needed a
 * plan that went), so every group is tried again, the changed group (`last`) after the others, until
 * no more can be given; those still refused are held back with the reason.
 */
function settle(
  entries: readonly LicenseSource[],
  before: readonly LicenseSource[],
  check: (licenses: readonly LicenseSource[], mayLicenseGuests: boolean) => LicenseChange,
  now: string,
  last?: GroupGrant,
): { sources: LicenseSource[]; change: LicenseChange } {
  const groupIds = [
    ...new Set(entries.flatMap((s) => (s.groupId !== null && s.error === null ? [s.groupId] : []))),
  ].sort((a, b) => Number(a === last?.groupId) - Number(b === last?.groupId));
  const held = new Map<string, LicenseAssignmentError>(groupIds.map((groupId) => [groupId, "Other"]));
  const withHeld = (errors: ReadonlyMap<string, LicenseAssignmentError>) =>
    [...errors].reduce(
      (acc, [groupId, error]) => withGroupError(acc, before, groupId, error, now),
      [...entries],
    );
  for (let given = true; given; ) {
    given = false;
    for (const groupId of groupIds) {
      if (!held.has(groupId)) continue;
      const others = new Map(held);
      others.delete(groupId);
      try {
        check(withHeld(others), groupId === last?.groupId ? last.mayLicenseGuests : true);
        held.delete(groupId);
        given = true;
      } catch (error) {
        if (!isCallersMistake(error)) throw error;
        held.set(groupId, assignmentErrorOf(error));
      }
    }
  }
  const sources = withHeld(held);
  return { sources, change: check(sources, true) };
}

/**
 * A request on a user whom groups license (or may now): the direct change first, refused as
 * assignLicense refuses; then each group's grant, given if the rules and seats allow it and
 * otherwise recorded on the group's entries with the reason.
 */
function decideSourced(
  request: LicenseRequest,
  user: User,
  check: (licenses: readonly LicenseSource[], mayLicenseGuests: boolean) => LicenseChange,
  now: string,
): Sourced {
  const input = wantedOf(request, user);
  const add = checkedLicensesToAdd(input.addLicenses, "addLicenses");
  const remove = input.removeLicenses.flatMap((skuId) => {
    try {
      return [requireProduct(skuId).skuId];
    } catch {
      return []; // removing what does not exist is a no-op, as it is for a direct user
    }
  });
  let memberOf = membershipsAfter(user, request);
  const isMember = (groupId: string) => memberOf.some((m) => m.groupId === groupId);
  const before = sourcesOf(user);
  let sources = withDirectChange(before, add, remove, now).filter(
    (s) => s.groupId === null || isMember(s.groupId),
  );
  let change: LicenseChange;
  try {
    change = check(sources, request.mayLicenseGuests);
  } catch (error) {
    // A direct change is refused as assignLicense refuses it; leaving a group never is: what the
    // groups left give is settled.
    if (!isCallersMistake(error) || add.length + remove.length > 0) throw error;
    ({ sources, change } = settle(sources, before, check, now));
  }
  for (const grant of request.grants ?? []) {
    const membership = memberOf.find((m) => m.groupId === grant.groupId);
    if (!membership || membership.licenseVersion > grant.version) continue;
    const trial = withGrant(sources, grant, now);
    try {
      change = check(trial, grant.mayLicenseGuests);
      sources = trial;
    } catch (error) {
      if (!isCallersMistake(error)) throw error;
      ({ sources, change } = settle(trial, before, check, now, grant));
    }
    memberOf = memberOf.map((m) =>
      m.groupId === grant.groupId ? { ...m, licenseVersion: grant.version } : m,
    );
  }
  const fromGroups = sources.some((s) => s.groupId !== null);
  return { change, licenseSources: fromGroups ? sources : undefined, memberOf };
}

/**
 * Decides one request on the user as read (`found`; ignored when the request creates the user) and
 * the seats left in `seats`, which an accepted change then takes from. A ProblemError that is the
 * caller's mistake becomes a refusal; anything else (a bug, a missing ledger) is thrown.
 */
export function decide(
  request: LicenseRequest,
  found: Versioned<User> | undefined,
  seats: SeatBook,
  context: RoundContext,
): Decision {
  const stored = request.creating ? undefined : found;
  try {
    const user = request.creating ?? stored?.value;
    if (!user || user.deletedAt) throw notFound(`User ${request.userId}`);
    // Before any other rule: the caller decided on the version they read, not on this one.
    if (stored) requireVersion(request.ifMatch, stored.etag, `User ${request.userId}`);
    const ledger = (skuId: string): SeatLedger => seats.get(skuId) ?? emptyLedger(skuId);
    const plan = (wanted: LicenseChangeInput, mayLicenseGuests: boolean): LicenseChange => {
      const planned = planLicenseChange({
        user,
        ...wanted,
        mayLicenseGuests,
        selfServiceSubscriptionIds: context.selfServiceSubscriptionIds,
        now: context.now,
        newPlanStatus: "PendingProvisioning",
      });
      const given = planned.assignedLicenses.filter(
        (l) => planned.added.includes(l.skuId) || planned.plansChanged.includes(l.skuId),
      );
      const location = user.usageLocation ?? context.defaultUsageLocation;
      const where =
        location === undefined
          ? undefined
          : usageLocationProblem({
              userPrincipalName: user.userPrincipalName,
              licenses: given,
              usageLocation: location,
            });
      if (where) throw where;
      ensureSeats(
        [...planned.seatDelta]
          .filter(([, delta]) => delta > 0)
          .map(([skuId, delta]) => ({ ledger: ledger(skuId), requested: delta })),
      );
      return planned;
    };
    let change: LicenseChange;
    let licensed: User;
    if (inherits(request, user)) {
      const sourced = decideSourced(
        request,
        user,
        (licenses, mayLicenseGuests) =>
          plan(changeTo(user.assignedLicenses, effectiveLicenses(licenses)), mayLicenseGuests),
        context.now,
      );
      change = sourced.change;
      const { licenseSources: _sources, memberOf: _memberOf, ...rest } = user;
      licensed = {
        ...rest,
        assignedLicenses: change.assignedLicenses,
        ...(sourced.licenseSources ? { licenseSources: sourced.licenseSources } : {}),
        ...(sourced.memberOf.length > 0 ? { memberOf: sourced.memberOf } : {}),
      };
      const same =
        sameRecord(licensed.licenseSources, user.licenseSources) &&
        sameRecord(licensed.memberOf, user.memberOf);
      if (stored && changes(change) === 0 && same) {
        return { kind: "unchanged", request, user: stored };
      }
    } else {
      change = plan(wantedOf(request, user), request.mayLicenseGuests);
      if (stored && changes(change) === 0) return { kind: "unchanged", request, user: stored };
      licensed = { ...user, assignedLicenses: change.assignedLicenses };
    }
    const seatChanges = [...change.seatDelta].map(([skuId, delta]) => {
      const before = ledger(skuId);
      const after = consumeSeats(before, delta);
      seats.set(skuId, after);
      return { skuId, delta, availableBefore: availableUnits(before), availableAfter: availableUnits(after) };
    });
    const now = new Date(context.now);
    const after =
      context.provision === "full"
        ? reconcileProvisioning(licensed, {
            now,
            retentionPeriodMs: context.retentionPeriodMs,
            newId: context.newId,
          })
        : withdrawProvisioning(licensed, { now, retentionPeriodMs: context.retentionPeriodMs });
    return {
      kind: "changed",
      request,
      before: stored?.value,
      etag: stored?.etag,
      change,
      licensed,
      after,
      seatChanges,
    };
  } catch (error) {
    if (error instanceof ProblemError && error.isCallersMistake) {
      return { kind: "refused", request, error, user: stored };
    }
    throw error;
  }
}

/**
 * Refusals that rest on more than the user's own record: the seats, and the subscriptions they
 * come from. Such a refusal stands only on records that held together at one moment.
 */
export const restsOnSeats = (decision: Decision): boolean =>
  (decision.kind === "refused" &&
    (decision.error.code === "CountViolation" || decision.error.code === "SelfServiceSubscription")) ||
  // A group's license still held back for want of seats: "nothing to do" only while none are free.
  (decision.kind === "unchanged" &&
    (decision.request.grants?.length ?? 0) > 0 &&
    (decision.user.value.licenseSources ?? []).some((s) => s.error === "CountViolation"));
