// What an assignLicense request does to one user (R7–R9, R13, R15): the licenses they end with,
// the seats it takes or frees per product, and the rule violations that refuse it.
import { findProduct, findServicePlan, type Product, planDependencies, planExclusions } from "./catalog.js";
import type { AssignedLicense, ProvisioningStatus, User } from "./model.js";
import { ProblemError } from "./problem.js";

export interface LicenseToAdd {
  readonly skuId: string;
  readonly disabledPlans?: readonly string[];
}

export interface LicenseChangeRequest {
  readonly user: User;
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
  /** May the caller license a guest (R13)? */
  readonly mayLicenseGuests: boolean;
  /** Subscriptions still self-service, that an administrator may not unassign from (R6). */
  readonly selfServiceSubscriptionIds: ReadonlySet<string>;
  readonly now: string;
  /** Status given to newly enabled plans that need provisioning. */
  readonly newPlanStatus: Exclude<ProvisioningStatus, "Disabled">;
}

export interface LicenseChange {
  readonly assignedLicenses: readonly AssignedLicense[];
  /** Seats per product: +1 taken, −1 freed. Products whose plans only changed are absent. */
  readonly seatDelta: ReadonlyMap<string, number>;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Licenses the user kept whose disabled plans changed (R8). */
  readonly plansChanged: readonly string[];
}

const sameGuid = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function requireProduct(skuId: string): Product {
  const product = findProduct(skuId);
  if (!product) throw new ProblemError("NotFound", `No product with skuId ${skuId} exists in the catalog.`);
  return product;
}

/**
 * `disabledPlans` with Microsoft's spelling of each plan id; a plan the product does not have is a
 * 400 that names it (`path` says where the list was in the request).
 */
export function checkedDisabledPlans(
  product: Product,
  disabledPlans: readonly string[],
  path: string,
): string[] {
  const unknown = disabledPlans.filter(
    (planId) => !product.servicePlans.some((plan) => sameGuid(plan.servicePlanId, planId)),
  );
  if (unknown.length > 0) {
    throw new ProblemError(
      "ValidationFailed",
      `${product.displayName} has no service plan ${unknown.join(", ")}; disabledPlans may only name its own plans.`,
      unknown.map((planId) => ({ path, message: `unknown service plan ${planId}` })),
    );
  }
  const canonical = product.servicePlans
    .filter((plan) => disabledPlans.some((id) => sameGuid(id, plan.servicePlanId)))
    .map((plan) => plan.servicePlanId);
  return canonical;
}

/**
 * The licenses a request adds, checked as assignLicense checks them: each product once (400), a
 * product the catalog knows (404), only its own service plans in disabledPlans (400). Returns
 * Microsoft's spelling of every id. The bulk routes check their licenses with it before starting.
 */
export function checkedLicensesToAdd(
  licenses: readonly LicenseToAdd[],
  path: string,
): { skuId: string; disabledPlans: string[] }[] {
  ensureUnique(
    licenses.map((l) => l.skuId),
    path,
  );
  return licenses.map(({ skuId, disabledPlans = [] }) => {
    const product = requireProduct(skuId);
    return {
      skuId: product.skuId,
      disabledPlans: checkedDisabledPlans(product, disabledPlans, `${path}.disabledPlans`),
    };
  });
}

/** Plans the user ends up with switched on, and the license each comes from. */
function enabledPlans(licenses: readonly AssignedLicense[]): Map<string, Product> {
  const enabled = new Map<string, Product>();
  for (const license of licenses) {
    const product = requireProduct(license.skuId);
    for (const plan of product.servicePlans) {
      if (!license.disabledPlans.includes(plan.servicePlanId)) enabled.set(plan.servicePlanId, product);
    }
  }
  return enabled;
}

const planName = (id: string): string => findServicePlan(id)?.servicePlanName ?? id;

function ensureNoConflicts(licenses: readonly AssignedLicense[]): void {
  const enabled = enabledPlans(licenses);
  // Every conflicting pair at once, so that following the advice resolves the whole request.
  const conflicts = planExclusions.flatMap(({ servicePlanIds: [a, b], reason }) => {
    const fromA = enabled.get(a);
    const fromB = enabled.get(b);
    return fromA && fromB ? [{ a, b, fromA, fromB, reason }] : [];
  });
  if (conflicts.length > 0) {
    const pairs = conflicts.map(
      ({ a, b, fromA, fromB }) =>
        `${planName(a)} (from ${fromA.displayName}) and ${planName(b)} (from ${fromB.displayName})`,
    );
    const reasons = [...new Set(conflicts.map((c) => c.reason))].join(" ");
    const detail =
      conflicts.length === 1
        ? `${pairs[0]} cannot both be enabled for one user: ${reasons} Disable one of them with disabledPlans, ` +
          "or assign only one of the licenses."
        : `${conflicts.length} pairs of service plans cannot both be enabled for one user: ${pairs.join("; ")}. ` +
          `${reasons} Disable one plan of each pair with disabledPlans, or assign only one of the licenses.`;
    throw new ProblemError(
      "MutuallyExclusiveViolation",
      detail,
      conflicts.map(({ a, b, fromA, fromB }) => ({
        servicePlanId: a,
        servicePlanName: planName(a),
        skuId: fromA.skuId,
        conflictsWithServicePlanId: b,
        conflictsWithServicePlanName: planName(b),
        conflictsWithSkuId: fromB.skuId,
      })),
    );
  }
  for (const { servicePlanId, requiresAnyOf, reason } of planDependencies) {
    const from = enabled.get(servicePlanId);
    if (from && !requiresAnyOf.some((id) => enabled.has(id))) {
      const needed = requiresAnyOf.map(planName).join(" or ");
      throw new ProblemError(
        "DependencyViolation",
        `${planName(servicePlanId)} (from ${from.displayName}) needs ${needed} enabled: ${reason} ` +
          `Keep ${needed} enabled, or disable ${planName(servicePlanId)} too.`,
        [{ servicePlanId, servicePlanName: planName(servicePlanId), skuId: from.skuId, requiresAnyOf }],
      );
    }
  }
}

function ensureUnique(skuIds: readonly string[], path: string): void {
  const seen = new Set<string>();
  for (const skuId of skuIds) {
    const key = skuId.toLowerCase();
    if (seen.has(key)) {
      throw new ProblemError("ValidationFailed", `skuId ${skuId} appears twice in ${path}.`, [
        { path, message: `duplicate skuId ${skuId}` },
      ]);
    }
    seen.add(key);
  }
}

function planStatusFor(
  product: Product,
  disabledPlans: readonly string[],
  previous: AssignedLicense["planStatus"],
  newPlanStatus: LicenseChangeRequest["newPlanStatus"],
): AssignedLicense["planStatus"] {
  const status: Record<string, Exclude<ProvisioningStatus, "Disabled">> = {};
  for (const plan of product.servicePlans) {
    if (disabledPlans.includes(plan.servicePlanId)) continue;
    status[plan.servicePlanId] =
      previous[plan.servicePlanId] ?? (plan.provisioningKind === "other" ? "Success" : newPlanStatus);
  }
  return status;
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/** Applies addLicenses/removeLicenses to a user, or throws the ProblemError that refuses it. */
export function planLicenseChange(request: LicenseChangeRequest): LicenseChange {
  const { user, removeLicenses } = request;
  const addLicenses = checkedLicensesToAdd(request.addLicenses, "addLicenses");
  ensureUnique(removeLicenses, "removeLicenses");
  const both = addLicenses.find((l) => removeLicenses.some((r) => sameGuid(r, l.skuId)));
  if (both) {
    throw new ProblemError(
      "ValidationFailed",
      `skuId ${both.skuId} is in both addLicenses and removeLicenses.`,
      [{ path: "removeLicenses", message: `skuId ${both.skuId} is also being added` }],
    );
  }

  const held = new Map(user.assignedLicenses.map((license) => [license.skuId, license]));
  const next = new Map(held);
  const added: string[] = [];
  const plansChanged: string[] = [];
  const removed: string[] = [];

  for (const skuId of removeLicenses) {
    const product = findProduct(skuId);
    const license = product && held.get(product.skuId);
    // Removing a license the user does not hold is a no-op, so callers can retry safely.
    if (!product || !license) continue;
    if (license.viaSubscriptionId && request.selfServiceSubscriptionIds.has(license.viaSubscriptionId)) {
      throw new ProblemError(
        "SelfServiceSubscription",
        `${user.userPrincipalName} bought ${product.displayName} through a self-service subscription; an ` +
          "administrator can unassign it only after taking the subscription over.",
        [{ skuId: product.skuId, subscriptionId: license.viaSubscriptionId }],
      );
    }
    next.delete(product.skuId);
    removed.push(product.skuId);
  }

  for (const { skuId, disabledPlans: disabled } of addLicenses) {
    const product = requireProduct(skuId);
    const current = held.get(product.skuId);
    if (current && sameSet(current.disabledPlans, disabled)) continue;
    if (current?.viaSubscriptionId && request.selfServiceSubscriptionIds.has(current.viaSubscriptionId)) {
      throw new ProblemError(
        "SelfServiceSubscription",
        `${user.userPrincipalName} bought ${product.displayName} through a self-service subscription; take the ` +
          "subscription over before changing its plans.",
        [{ skuId: product.skuId, subscriptionId: current.viaSubscriptionId }],
      );
    }
    next.set(product.skuId, {
      skuId: product.skuId,
      disabledPlans: disabled,
      assignedAt: current?.assignedAt ?? request.now,
      ...(current?.viaSubscriptionId ? { viaSubscriptionId: current.viaSubscriptionId } : {}),
      planStatus: planStatusFor(product, disabled, current?.planStatus ?? {}, request.newPlanStatus),
    });
    (current ? plansChanged : added).push(product.skuId);
  }

  if (
    user.userType === "Guest" &&
    (added.length > 0 || plansChanged.length > 0) &&
    !request.mayLicenseGuests
  ) {
    throw new ProblemError(
      "GuestLicenseRequiresGlobalAdministrator",
      `${user.userPrincipalName} is a guest user; only a Global Administrator can give a guest a license.`,
    );
  }

  const assignedLicenses = [...next.values()];
  ensureNoConflicts(assignedLicenses);

  const seatDelta = new Map<string, number>();
  for (const skuId of added) seatDelta.set(skuId, 1);
  for (const skuId of removed) seatDelta.set(skuId, -1);
  return { assignedLicenses, seatDelta, added, removed, plansChanged };
}
