// The one decision "change this user's licenses" (R7–R9, R13–R15, R18): from a request, the user as
// stored and the seats the decisions before it in the same round left, either the caller's own
// refusal, "nothing to do", or the change with the user as it will be written. Pure: no I/O, the
// same for a single assignLicense, a $batch round, a product route, a bulk chunk, a new user and a
// producer's event.
import type { LicenseChange, LicenseToAdd } from "../../domain/license-change.js";
import { planLicenseChange } from "../../domain/license-change.js";
import type { Actor, SeatLedger, User } from "../../domain/model.js";
import { notFound, ProblemError } from "../../domain/problem.js";
import { reconcileProvisioning, withdrawProvisioning } from "../../domain/provisioning.js";
import { availableUnits, consumeSeats, emptyLedger, ensureSeats } from "../../domain/seats.js";
import type { IfMatch, Versioned } from "../ports.js";
import { requireVersion } from "../steps/versions.js";

/** What a caller asks of one user's licenses, as assignLicense's body says it. */
export interface LicenseChangeInput {
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
}

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
    const change = planLicenseChange({
      user,
      ...wantedOf(request, user),
      mayLicenseGuests: request.mayLicenseGuests,
      selfServiceSubscriptionIds: context.selfServiceSubscriptionIds,
      now: context.now,
      newPlanStatus: "PendingProvisioning",
    });
    if (stored && changes(change) === 0) return { kind: "unchanged", request, user: stored };
    const ledger = (skuId: string): SeatLedger => seats.get(skuId) ?? emptyLedger(skuId);
    ensureSeats(
      [...change.seatDelta]
        .filter(([, delta]) => delta > 0)
        .map(([skuId, delta]) => ({ ledger: ledger(skuId), requested: delta })),
    );
    const seatChanges = [...change.seatDelta].map(([skuId, delta]) => {
      const before = ledger(skuId);
      const after = consumeSeats(before, delta);
      seats.set(skuId, after);
      return { skuId, delta, availableBefore: availableUnits(before), availableAfter: availableUnits(after) };
    });
    const licensed: User = { ...user, assignedLicenses: change.assignedLicenses };
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
  decision.kind === "refused" &&
  (decision.error.code === "CountViolation" || decision.error.code === "SelfServiceSubscription");
