// Seat arithmetic of one product's ledger (R3–R6, R14): what subscriptions contribute, what an
// administrator may still assign, and the errors when seats run short or would drop below assigned.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findProductByPartNumber } from "../../shared/domain/catalog.js";
import type {
  PurchaseChannel,
  SeatLedger,
  Subscription,
  SubscriptionStatus,
} from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import {
  adminAvailable,
  applySubscriptionChange,
  availableUnits,
  consumeSeats,
  emptyLedger,
  ensureSeats,
  prepaidEnabled,
  productSeats,
} from "../../shared/domain/seats.js";
import { problemFrom } from "../support/problem.js";

function skuOf(partNumber: string): { skuId: string; name: string } {
  const product = findProductByPartNumber(partNumber);
  if (!product) throw new Error(`no product ${partNumber} in the catalog`);
  return { skuId: product.skuId, name: product.displayName };
}

const standard = skuOf("O365_BUSINESS_PREMIUM"); // Microsoft 365 Business Standard
const premium = skuOf("SPB"); // Microsoft 365 Business Premium

let nextId = 0;
function subscription(overrides: Partial<Subscription> = {}): Subscription {
  nextId += 1;
  return {
    id: `subscription-${nextId}`,
    skuId: standard.skuId,
    seats: 10,
    status: "Enabled",
    purchaseChannel: "Admin",
    createdAt: "2024-05-01T08:00:00.000Z",
    selfServiceConsumed: 0,
    ...overrides,
  };
}

function ledger(counts: Partial<Omit<SeatLedger, "skuId">> = {}, skuId = standard.skuId): SeatLedger {
  return { ...emptyLedger(skuId), ...counts };
}

/** The ledger after buying each subscription in turn. */
function bought(...subscriptions: Subscription[]): SeatLedger {
  return subscriptions.reduce(
    (current, added) => applySubscriptionChange(current, undefined, added),
    emptyLedger(subscriptions[0]?.skuId ?? standard.skuId),
  );
}

describe("subscriptions in the ledger", () => {
  it("sums two Enabled Admin subscriptions of one product: 5 + 8 = 13", () => {
    const result = bought(
      subscription({ skuId: premium.skuId, seats: 5 }),
      subscription({ skuId: premium.skuId, seats: 8 }),
    );
    expect(result.enabledAdmin).toBe(13);
    expect(prepaidEnabled(result)).toBe(13);
    expect(availableUnits(result)).toBe(13);
  });

  it("shows 24 of 25 available after one license of 25 bought seats is assigned", () => {
    const before = bought(subscription({ seats: 25 }));
    ensureSeats([{ ledger: before, requested: 1 }]);
    const after = consumeSeats(before, 1);
    expect(prepaidEnabled(after)).toBe(25);
    expect(after.consumed).toBe(1);
    expect(availableUnits(after)).toBe(24);
    expect(adminAvailable(after)).toBe(24);
  });

  it.each<[SubscriptionStatus, keyof SeatLedger]>([
    ["Warning", "warning"],
    ["Suspended", "suspended"],
    ["LockedOut", "lockedOut"],
  ])("counts a %s subscription's seats apart, not as enabled", (status, field) => {
    const result = bought(subscription({ seats: 7, status }));
    expect(result[field]).toBe(7);
    expect(prepaidEnabled(result)).toBe(0);
    expect(adminAvailable(result)).toBe(0);
  });

  it("counts an Enabled self-service subscription as enabled but not as available to an administrator", () => {
    const result = bought(subscription({ seats: 4, purchaseChannel: "SelfService" }));
    expect(result.enabledSelfService).toBe(4);
    expect(result.enabledAdmin).toBe(0);
    expect(prepaidEnabled(result)).toBe(4);
    expect(adminAvailable(result)).toBe(0);
  });

  it("shows only the seats an administrator can assign as available, and self-service seats apart", () => {
    const ledger = consumeSeats(
      bought(
        subscription({ seats: 3 }),
        subscription({ seats: 2, purchaseChannel: "SelfService", selfServiceConsumed: 1 }),
      ),
      1,
    );
    expect(productSeats(ledger)).toEqual({
      enabled: 3,
      consumed: 1,
      available: 2,
      selfService: { enabled: 2, consumed: 1 },
    });
    // The seat check agrees with what is shown: the available seats, and not one more.
    ensureSeats([{ ledger, requested: 2 }]);
    expect(problemFrom(() => ensureSeats([{ ledger, requested: 3 }])).code).toBe("SelfServiceSubscription");
  });

  it("moves seats between the counts when a subscription's status changes", () => {
    const first = subscription({ seats: 6 });
    const second = subscription({ seats: 4 });
    const before = bought(first, second);
    const after = applySubscriptionChange(before, second, { ...second, status: "Warning" });
    expect(after).toMatchObject({ enabledAdmin: 6, warning: 4 });
  });

  it("replaces a subscription's old seat count when its seats change", () => {
    const only = subscription({ seats: 6 });
    const after = applySubscriptionChange(bought(only), only, { ...only, seats: 9 });
    expect(after.enabledAdmin).toBe(9);
  });

  it("leaves the ledger it was given untouched", () => {
    const before = ledger({ enabledAdmin: 3 });
    const copy = { ...before };
    applySubscriptionChange(before, undefined, subscription({ seats: 2 }));
    consumeSeats(before, 1);
    expect(before).toEqual(copy);
  });

  it("frees seats when consumeSeats is given a negative delta", () => {
    expect(consumeSeats(ledger({ enabledAdmin: 5, consumed: 3 }), -2).consumed).toBe(1);
  });
});

describe("seats below assigned", () => {
  it("refuses to cut an Admin subscription below the licenses assigned, saying how many to unassign", () => {
    const only = subscription({ seats: 10 });
    const current = consumeSeats(bought(only), 8);
    const problem = problemFrom(() => applySubscriptionChange(current, only, { ...only, seats: 7 }));
    expect(problem.code).toBe("SeatsBelowAssigned");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain(standard.name);
    expect(problem.detail).toContain("8 licenses assigned");
    expect(problem.detail).toContain("only 7 enabled seats");
    expect(problem.detail).toContain("Unassign 1 licenses");
    expect(problem.errors).toEqual([{ skuId: standard.skuId, assigned: 8, enabledAfterChange: 7 }]);
  });

  it("allows cutting seats down to exactly the licenses assigned", () => {
    const only = subscription({ seats: 10 });
    const current = consumeSeats(bought(only), 8);
    expect(applySubscriptionChange(current, only, { ...only, seats: 8 }).enabledAdmin).toBe(8);
  });

  it("refuses Enabled → Suspended when that leaves fewer enabled seats than assigned", () => {
    const only = subscription({ seats: 3 });
    const current = consumeSeats(bought(only), 1);
    const problem = problemFrom(() =>
      applySubscriptionChange(current, only, { ...only, status: "Suspended" }),
    );
    expect(problem.code).toBe("SeatsBelowAssigned");
    expect(problem.errors).toEqual([{ skuId: standard.skuId, assigned: 1, enabledAfterChange: 0 }]);
  });

  it("allows Enabled → Suspended when another subscription still covers the licenses assigned", () => {
    const first = subscription({ seats: 5 });
    const second = subscription({ seats: 3 });
    const current = consumeSeats(bought(first, second), 5);
    const after = applySubscriptionChange(current, second, { ...second, status: "Suspended" });
    expect(after).toMatchObject({ enabledAdmin: 5, suspended: 3, consumed: 5 });
  });

  it("refuses to cut a self-service subscription below what its buyers hold", () => {
    const selfService = subscription({ seats: 5, purchaseChannel: "SelfService", selfServiceConsumed: 3 });
    const current = ledger({ enabledSelfService: 5, consumed: 3, consumedSelfService: 3 });
    const problem = problemFrom(() =>
      applySubscriptionChange(current, selfService, { ...selfService, seats: 2 }),
    );
    expect(problem.code).toBe("SeatsBelowAssigned");
    expect(problem.detail).toContain("Unassign 1 licenses");
  });
});

describe("taking a self-service subscription over", () => {
  const selfService = subscription({ seats: 5, purchaseChannel: "SelfService", selfServiceConsumed: 3 });
  const current = ledger({ enabledSelfService: 5, consumed: 3, consumedSelfService: 3 });
  const takenOver: Subscription = { ...selfService, purchaseChannel: "Admin", selfServiceConsumed: 0 };

  it("moves its seats and its buyers' licenses from self-service to admin", () => {
    const after = applySubscriptionChange(current, selfService, takenOver);
    expect(after).toMatchObject({
      enabledAdmin: 5,
      enabledSelfService: 0,
      consumed: 3,
      consumedSelfService: 0,
    });
    expect(adminAvailable(after)).toBe(2);
    expect(availableUnits(after)).toBe(2);
  });

  it("lets an administrator assign its free seats, which were refused before", () => {
    expect(problemFrom(() => ensureSeats([{ ledger: current, requested: 2 }])).code).toBe(
      "SelfServiceSubscription",
    );
    const after = applySubscriptionChange(current, selfService, takenOver);
    expect(() => ensureSeats([{ ledger: after, requested: 2 }])).not.toThrow();
  });
});

describe("ensureSeats", () => {
  it("accepts a request for exactly the seats an administrator has left", () => {
    expect(() =>
      ensureSeats([{ ledger: ledger({ enabledAdmin: 5, consumed: 3 }), requested: 2 }]),
    ).not.toThrow();
  });

  it("accepts an empty list of requests", () => {
    expect(() => ensureSeats([])).not.toThrow();
  });

  it("refuses one seat too many with CountViolation saying how many are missing", () => {
    const problem = problemFrom(() =>
      ensureSeats([{ ledger: ledger({ enabledAdmin: 5, consumed: 3 }), requested: 4 }]),
    );
    expect(problem.code).toBe("CountViolation");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain(`2 more licenses of ${standard.name}`);
    expect(problem.detail).toContain("are needed");
    expect(problem.detail).toMatch(/buy more licenses/i);
    expect(problem.errors).toEqual([{ skuId: standard.skuId, requested: 4, available: 2 }]);
  });

  it("speaks of one license in the singular", () => {
    const problem = problemFrom(() => ensureSeats([{ ledger: ledger({ enabledAdmin: 1 }), requested: 2 }]));
    expect(problem.detail).toContain(`1 more license of ${standard.name} is needed`);
  });

  it("names every product that falls short and lists only those in errors", () => {
    const problem = problemFrom(() =>
      ensureSeats([
        { ledger: ledger({ enabledAdmin: 1 }), requested: 3 },
        { ledger: ledger({ enabledAdmin: 10 }, premium.skuId), requested: 2 },
        { ledger: ledger({}, premium.skuId), requested: 1 },
      ]),
    );
    expect(problem.code).toBe("CountViolation");
    expect(problem.detail).toContain(
      `2 more licenses of ${standard.name} and 1 more license of ${premium.name}`,
    );
    expect(problem.errors).toEqual([
      { skuId: standard.skuId, requested: 3, available: 1 },
      { skuId: premium.skuId, requested: 1, available: 0 },
    ]);
  });

  it("never reports a negative number of available seats", () => {
    const overdrawn = ledger({ enabledAdmin: 2, consumed: 4 });
    const problem = problemFrom(() => ensureSeats([{ ledger: overdrawn, requested: 1 }]));
    expect(problem.errors).toEqual([{ skuId: standard.skuId, requested: 1, available: 0 }]);
    expect(problem.detail).toContain("1 more license of");
  });

  it("answers SelfServiceSubscription when only self-service seats are free", () => {
    const selfServiceOnly = ledger({ enabledSelfService: 5, consumed: 1, consumedSelfService: 1 });
    const problem = problemFrom(() => ensureSeats([{ ledger: selfServiceOnly, requested: 3 }]));
    expect(problem.code).toBe("SelfServiceSubscription");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain(standard.name);
    expect(problem.detail).toContain("takeOver");
    expect(problem.errors).toEqual([{ skuId: standard.skuId }]);
  });

  it("answers SelfServiceSubscription when admin and self-service seats together would cover the request", () => {
    const mixed = ledger({ enabledAdmin: 2, enabledSelfService: 3 });
    expect(problemFrom(() => ensureSeats([{ ledger: mixed, requested: 4 }])).code).toBe(
      "SelfServiceSubscription",
    );
  });

  it("answers CountViolation when even the self-service seats would not be enough", () => {
    const selfServiceOnly = ledger({ enabledSelfService: 5, consumed: 1, consumedSelfService: 1 });
    const problem = problemFrom(() => ensureSeats([{ ledger: selfServiceOnly, requested: 5 }]));
    expect(problem.code).toBe("CountViolation");
    expect(problem.errors).toEqual([{ skuId: standard.skuId, requested: 5, available: 0 }]);
  });
});

describe("a self-service subscription whose buyers already hold seats", () => {
  // buySubscription accepts `selfServiceConsumed` (seeding) and hands the subscription to
  // applySubscriptionChange with `before` undefined. The model says consumedSelfService is "the part
  // of `consumed` held through self-service subscriptions", so the buyers' seats must be in consumed.
  it("counts the buyers' seats as assigned when the subscription is created", () => {
    const created = applySubscriptionChange(
      emptyLedger(standard.skuId),
      undefined,
      subscription({ seats: 2, purchaseChannel: "SelfService", selfServiceConsumed: 2 }),
    );
    expect(created.consumed).toBeGreaterThanOrEqual(created.consumedSelfService);
    expect(availableUnits(created)).toBe(0);
    // No admin seat was ever bought, so an administrator may assign none.
    expect(adminAvailable(created)).toBe(0);
    expect(() => ensureSeats([{ ledger: created, requested: 1 }])).toThrow(ProblemError);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random sequences of purchases, seat/status changes, take-overs, self-service purchases
// and administrator assignments, applying only what the domain accepts, keep the ledger consistent.

type Operation =
  | { kind: "buy"; seats: number; channel: PurchaseChannel }
  | { kind: "change"; pick: number; seats: number | undefined; status: SubscriptionStatus | undefined }
  | { kind: "takeOver"; pick: number }
  | { kind: "selfServicePurchase"; pick: number }
  | { kind: "assign"; count: number }
  | { kind: "unassign"; count: number };

const statusArbitrary = fc.constantFrom<SubscriptionStatus>("Enabled", "Warning", "Suspended", "LockedOut");
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("buy" as const),
    seats: fc.integer({ min: 1, max: 12 }),
    channel: fc.constantFrom<PurchaseChannel>("Admin", "SelfService"),
  }),
  fc.record({
    kind: fc.constant("change" as const),
    pick: fc.nat(),
    seats: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }),
    status: fc.option(statusArbitrary, { nil: undefined }),
  }),
  fc.record({ kind: fc.constant("takeOver" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("selfServicePurchase" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("assign" as const), count: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("unassign" as const), count: fc.integer({ min: 1, max: 6 }) }),
);

interface World {
  ledger: SeatLedger;
  subscriptions: Subscription[];
  /** Licenses assigned by an administrator (including the buyers of taken-over subscriptions). */
  adminHeld: number;
}

/** The ledger that the subscriptions and holders of the world should give. */
function expectedLedger(world: World): SeatLedger {
  const sum = (keep: (s: Subscription) => boolean, of: (s: Subscription) => number): number =>
    world.subscriptions.filter(keep).reduce((total, s) => total + of(s), 0);
  const enabled = (channel: PurchaseChannel) => (s: Subscription) =>
    s.status === "Enabled" && s.purchaseChannel === channel;
  return {
    skuId: standard.skuId,
    enabledAdmin: sum(enabled("Admin"), (s) => s.seats),
    enabledSelfService: sum(enabled("SelfService"), (s) => s.seats),
    warning: sum(
      (s) => s.status === "Warning",
      (s) => s.seats,
    ),
    suspended: sum(
      (s) => s.status === "Suspended",
      (s) => s.seats,
    ),
    lockedOut: sum(
      (s) => s.status === "LockedOut",
      (s) => s.seats,
    ),
    consumed:
      world.adminHeld +
      sum(
        (s) => s.purchaseChannel === "SelfService",
        (s) => s.selfServiceConsumed,
      ),
    // Buyers keep their seats whatever the subscription's status, until it is taken over.
    consumedSelfService: sum(
      (s) => s.purchaseChannel === "SelfService",
      (s) => s.selfServiceConsumed,
    ),
  };
}

const consistent = (l: SeatLedger): boolean =>
  l.consumed - l.consumedSelfService <= l.enabledAdmin && l.consumedSelfService <= l.enabledSelfService;

function checkInvariants(l: SeatLedger): void {
  expect(l.consumed - l.consumedSelfService).toBeLessThanOrEqual(l.enabledAdmin);
  expect(l.consumedSelfService).toBeLessThanOrEqual(l.enabledSelfService);
  expect(l.consumed).toBeGreaterThanOrEqual(l.consumedSelfService);
  for (const [field, value] of Object.entries(l)) {
    if (typeof value === "number") expect(value, field).toBeGreaterThanOrEqual(0);
  }
  expect(adminAvailable(l)).toBeGreaterThanOrEqual(0);
  expect(availableUnits(l)).toBeGreaterThanOrEqual(0);
}

/** Applies a subscription change if the domain accepts it; checks it refuses exactly the inconsistent ones. */
function changeSubscription(world: World, index: number, after: Subscription, adminHeldAfter: number): void {
  const before = world.subscriptions[index];
  const subscriptions = [...world.subscriptions];
  subscriptions[index] = after;
  const expected = expectedLedger({ ledger: world.ledger, subscriptions, adminHeld: adminHeldAfter });
  let next: SeatLedger | undefined;
  try {
    next = applySubscriptionChange(world.ledger, before, after);
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    expect(error.code).toBe("SeatsBelowAssigned");
  }
  expect(next !== undefined, "accepted exactly when the result is consistent").toBe(consistent(expected));
  if (!next) return;
  expect(next).toEqual(expected);
  world.ledger = next;
  world.subscriptions = subscriptions;
  world.adminHeld = adminHeldAfter;
}

function step(world: World, operation: Operation): void {
  const count = world.subscriptions.length;
  switch (operation.kind) {
    case "buy":
      changeSubscription(
        world,
        count,
        subscription({ seats: operation.seats, purchaseChannel: operation.channel }),
        world.adminHeld,
      );
      return;
    case "change": {
      const before = world.subscriptions[operation.pick % Math.max(1, count)];
      if (!before) return;
      const after = {
        ...before,
        seats: operation.seats ?? before.seats,
        status: operation.status ?? before.status,
      };
      changeSubscription(world, operation.pick % count, after, world.adminHeld);
      return;
    }
    case "takeOver": {
      const before = world.subscriptions[operation.pick % Math.max(1, count)];
      if (before?.purchaseChannel !== "SelfService") return;
      const after: Subscription = { ...before, purchaseChannel: "Admin", selfServiceConsumed: 0 };
      changeSubscription(world, operation.pick % count, after, world.adminHeld + before.selfServiceConsumed);
      return;
    }
    case "selfServicePurchase": {
      // A user takes a seat of a self-service subscription themselves (no domain function does this;
      // the store would write the subscription and the ledger together, as delete-user does in reverse).
      const index = operation.pick % Math.max(1, count);
      const target = world.subscriptions[index];
      if (target?.purchaseChannel !== "SelfService" || target.status !== "Enabled") return;
      if (target.selfServiceConsumed >= target.seats) return;
      // Nor beyond the product's enabled self-service seats: buyers of a subscription in Warning
      // keep theirs, so one subscription's free seat may already be used up by another's buyers.
      if (world.ledger.consumedSelfService >= world.ledger.enabledSelfService) return;
      world.subscriptions[index] = { ...target, selfServiceConsumed: target.selfServiceConsumed + 1 };
      world.ledger = {
        ...world.ledger,
        consumed: world.ledger.consumed + 1,
        consumedSelfService: world.ledger.consumedSelfService + 1,
      };
      return;
    }
    case "assign": {
      const free = adminAvailable(world.ledger);
      let refusal: ProblemError | undefined;
      try {
        ensureSeats([{ ledger: world.ledger, requested: operation.count }]);
      } catch (error) {
        if (!(error instanceof ProblemError)) throw error;
        refusal = error;
      }
      expect(refusal !== undefined, "refused exactly when requested > adminAvailable").toBe(
        operation.count > free,
      );
      if (refusal) {
        const selfServiceFree = world.ledger.enabledSelfService - world.ledger.consumedSelfService;
        expect(refusal.code).toBe(
          operation.count <= free + selfServiceFree ? "SelfServiceSubscription" : "CountViolation",
        );
        if (refusal.code === "CountViolation") {
          expect(refusal.errors).toEqual([
            { skuId: standard.skuId, requested: operation.count, available: Math.max(0, free) },
          ]);
        }
        return;
      }
      world.ledger = consumeSeats(world.ledger, operation.count);
      world.adminHeld += operation.count;
      return;
    }
    case "unassign": {
      if (operation.count > world.adminHeld) return;
      world.ledger = consumeSeats(world.ledger, -operation.count);
      world.adminHeld -= operation.count;
      return;
    }
  }
}

describe("ledger invariants under random sequences", () => {
  it("never lets admin-held seats exceed admin seats, self-service exceed self-service, or a count go negative", () => {
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 40 }), (operations) => {
        const world: World = { ledger: emptyLedger(standard.skuId), subscriptions: [], adminHeld: 0 };
        for (const operation of operations) {
          step(world, operation);
          checkInvariants(world.ledger);
          expect(world.ledger).toEqual(expectedLedger(world));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a seat request exactly when it asks for more than adminAvailable", () => {
    const counts = fc.nat({ max: 20 });
    fc.assert(
      fc.property(
        counts,
        counts,
        counts,
        counts,
        fc.integer({ min: 1, max: 25 }),
        (a, b, c, d, requested) => {
          const enabledAdmin = a + b;
          const enabledSelfService = c + d;
          const l = ledger({ enabledAdmin, enabledSelfService, consumed: a + c, consumedSelfService: c });
          let refused = false;
          try {
            ensureSeats([{ ledger: l, requested }]);
          } catch (error) {
            if (!(error instanceof ProblemError)) throw error;
            refused = true;
          }
          expect(refused).toBe(requested > adminAvailable(l));
          expect(adminAvailable(l)).toBe(b);
        },
      ),
    );
  });
});
