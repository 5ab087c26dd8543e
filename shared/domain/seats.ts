// Seat arithmetic (R3–R6, R14): what subscriptions contribute to a product's ledger, what is
// available to an administrator, and the errors when seats run short.
import { findProduct } from "./catalog.js";
import type { SeatLedger, Subscription, SubscriptionStatus } from "./model.js";
import { ProblemError } from "./problem.js";

type Counts = Omit<SeatLedger, "skuId">;

const noSeats: Counts = {
  enabledAdmin: 0,
  enabledSelfService: 0,
  warning: 0,
  suspended: 0,
  lockedOut: 0,
  consumed: 0,
  consumedSelfService: 0,
};

export function emptyLedger(skuId: string): SeatLedger {
  return { skuId, ...noSeats };
}

function contribution(subscription: Subscription | undefined): Counts {
  const counts = noSeats;
  if (!subscription) return counts;
  const seats = subscription.seats;
  switch (subscription.status) {
    case "Enabled":
      if (subscription.purchaseChannel === "Admin") return { ...counts, enabledAdmin: seats };
      return { ...counts, enabledSelfService: seats, consumedSelfService: subscription.selfServiceConsumed };
    case "Warning":
      return { ...counts, warning: seats, consumedSelfService: subscription.selfServiceConsumed };
    case "Suspended":
      return { ...counts, suspended: seats, consumedSelfService: subscription.selfServiceConsumed };
    case "LockedOut":
      return { ...counts, lockedOut: seats, consumedSelfService: subscription.selfServiceConsumed };
  }
}

export const prepaidEnabled = (ledger: SeatLedger): number => ledger.enabledAdmin + ledger.enabledSelfService;
/** Seats an administrator may still assign: only admin-bought seats count (R6). */
export const adminAvailable = (ledger: SeatLedger): number =>
  ledger.enabledAdmin - (ledger.consumed - ledger.consumedSelfService);
/** A product's availableUnits: the seats an administrator can assign, as ensureSeats counts them. */
export const availableUnits = adminAvailable;

/**
 * What a product shows (R3, R6): the seats an administrator manages, with
 * available = enabled − consumed ("24 of 25 available"), and the seats of self-service
 * subscriptions not yet taken over apart, since an administrator can neither assign nor unassign them.
 */
export function productSeats(ledger: SeatLedger): {
  readonly enabled: number;
  readonly consumed: number;
  readonly available: number;
  readonly selfService: { readonly enabled: number; readonly consumed: number };
} {
  return {
    enabled: ledger.enabledAdmin,
    consumed: ledger.consumed - ledger.consumedSelfService,
    available: adminAvailable(ledger),
    selfService: { enabled: ledger.enabledSelfService, consumed: ledger.consumedSelfService },
  };
}

const statusOrder: readonly SubscriptionStatus[] = ["Enabled", "Warning", "Suspended", "LockedOut"];

/**
 * A product's capabilityStatus, as Graph derives it: Enabled while at least one of its prepaid
 * units is enabled, else the state of the units left (Warning before Suspended before LockedOut);
 * a product without units takes the most usable state among its subscriptions.
 */
export function capabilityStatus(
  ledger: SeatLedger,
  subscriptions: readonly Pick<Subscription, "status">[],
): SubscriptionStatus {
  const units: Record<SubscriptionStatus, number> = {
    Enabled: ledger.enabledAdmin + ledger.enabledSelfService,
    Warning: ledger.warning,
    Suspended: ledger.suspended,
    LockedOut: ledger.lockedOut,
  };
  return (
    statusOrder.find((status) => units[status] > 0) ??
    statusOrder.find((status) => subscriptions.some((subscription) => subscription.status === status)) ??
    "LockedOut"
  );
}

const productName = (skuId: string): string => findProduct(skuId)?.displayName ?? skuId;

/**
 * The ledger after a subscription is created (`before` undefined), changed or taken over.
 * Refuses with SeatsBelowAssigned when the product would have fewer enabled seats than assigned.
 */
export function applySubscriptionChange(
  ledger: SeatLedger,
  before: Subscription | undefined,
  after: Subscription,
): SeatLedger {
  const removed = contribution(before);
  const added = contribution(after);
  const consumedSelfService =
    ledger.consumedSelfService - removed.consumedSelfService + added.consumedSelfService;
  const next: SeatLedger = {
    skuId: ledger.skuId,
    enabledAdmin: ledger.enabledAdmin - removed.enabledAdmin + added.enabledAdmin,
    enabledSelfService: ledger.enabledSelfService - removed.enabledSelfService + added.enabledSelfService,
    warning: ledger.warning - removed.warning + added.warning,
    suspended: ledger.suspended - removed.suspended + added.suspended,
    lockedOut: ledger.lockedOut - removed.lockedOut + added.lockedOut,
    // A new self-service subscription arrives with its buyers' seats already in use; a take-over
    // keeps them in use, only counted as admin-managed from then on.
    consumed: ledger.consumed + (before ? 0 : after.selfServiceConsumed),
    consumedSelfService,
    ...(ledger.waiting ? { waiting: ledger.waiting } : {}),
  };
  const shortAdmin = -adminAvailable(next);
  const shortSelfService = next.consumedSelfService - next.enabledSelfService;
  if (shortAdmin > 0 || shortSelfService > 0) {
    const assigned = next.consumed;
    throw new ProblemError(
      "SeatsBelowAssigned",
      `${productName(ledger.skuId)} has ${assigned} licenses assigned; this change would leave only ` +
        `${prepaidEnabled(next)} enabled seats. Unassign ${Math.max(shortAdmin, shortSelfService)} ` +
        "licenses first, or keep more seats.",
      [{ skuId: ledger.skuId, assigned, enabledAfterChange: prepaidEnabled(next) }],
    );
  }
  return next;
}

export interface SeatRequest {
  readonly ledger: SeatLedger;
  /** Additional seats wanted (positive). */
  readonly requested: number;
}

/**
 * Checks that every product has the seats an administrator asks for (R14). Names each product that
 * falls short and how many licenses are missing; seats that sit in a self-service subscription
 * not yet taken over give SelfServiceSubscription instead (R6).
 */
export function ensureSeats(requests: readonly SeatRequest[]): void {
  const short = requests.filter(({ ledger, requested }) => requested > adminAvailable(ledger));
  if (short.length === 0) return;
  const selfServiceCovers = short.every(
    ({ ledger, requested }) =>
      requested <= adminAvailable(ledger) + (ledger.enabledSelfService - ledger.consumedSelfService),
  );
  if (selfServiceCovers) {
    const names = short.map(({ ledger }) => productName(ledger.skuId)).join(", ");
    throw new ProblemError(
      "SelfServiceSubscription",
      `The free seats of ${names} belong to a self-service subscription that an administrator has not ` +
        "taken over. Take the subscription over (POST /api/subscriptions/{id}/takeOver) or buy more licenses.",
      short.map(({ ledger }) => ({ skuId: ledger.skuId })),
    );
  }
  const parts = short.map(({ ledger, requested }) => {
    const missing = requested - Math.max(0, adminAvailable(ledger));
    return `${missing} more ${missing === 1 ? "license" : "licenses"} of ${productName(ledger.skuId)}`;
  });
  const total = short.reduce(
    (sum, { ledger, requested }) => sum + requested - Math.max(0, adminAvailable(ledger)),
    0,
  );
  throw new ProblemError(
    "CountViolation",
    `Not enough licenses available: ${parts.join(" and ")} ${total === 1 ? "is" : "are"} needed. ` +
      "Buy more licenses or unassign some first.",
    short.map(({ ledger, requested }) => ({
      skuId: ledger.skuId,
      requested,
      available: Math.max(0, adminAvailable(ledger)),
    })),
  );
}

/** The ledger after `delta` seats are assigned (positive) or freed (negative) by an administrator. */
export function consumeSeats(ledger: SeatLedger, delta: number): SeatLedger {
  return { ...ledger, consumed: ledger.consumed + delta };
}
