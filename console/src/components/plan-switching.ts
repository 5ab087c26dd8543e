// What a service plan's switch does to the others, without React: switching a plan off takes with it
// the plans that need it (the catalog's `planDependencies`, e.g. Office for the web needs SharePoint
// or OneDrive), within its product and across the user's other licenses; switching a dependent on
// switches on what it needs. The same rule the server checks, so what the console sends never meets
// a `DependencyViolation` it could have foreseen.
import i18next from "i18next";
import {
  findProduct,
  type Product,
  planDependencies,
  type ServicePlan,
} from "../../../shared/domain/catalog.js";

export const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export interface PlanSwitchResult {
  /** The product's switched-off plans after the change, in the product's order. */
  readonly disabledPlans: string[];
  /** Plans switched off with the one switched off, because nothing they need stays on. */
  readonly alsoOff: readonly ServicePlan[];
  /** Plans switched on with the one switched on, because it needs one of them. */
  readonly alsoOn: readonly ServicePlan[];
}

/**
 * Switches one plan of `product` on or off, and its dependents with it: the same rule the server
 * checks (a dependent needs at least one of its `requiresAnyOf` on for the user), so the request sent
 * never meets a `DependencyViolation` from this product. `enabledElsewhere`: the plans the user's
 * other licenses keep on (a requirement met there keeps the dependent on); empty when unknown.
 */
export function switchServicePlan(
  product: Product,
  disabledPlans: readonly string[],
  servicePlanId: string,
  on: boolean,
  enabledElsewhere: ReadonlySet<string> = new Set(),
): PlanSwitchResult {
  const inProduct = (id: string) => product.servicePlans.find((plan) => same(plan.servicePlanId, id));
  const disabled = new Set(
    product.servicePlans
      .filter((plan) => disabledPlans.some((id) => same(id, plan.servicePlanId)))
      .map((plan) => plan.servicePlanId),
  );
  const target = inProduct(servicePlanId);
  if (!target) throw new Error(`${product.displayName} has no service plan ${servicePlanId}`);
  const elsewhere = [...enabledElsewhere].map((id) => id.toLowerCase());
  const isOn = (id: string): boolean => {
    const plan = inProduct(id);
    return elsewhere.includes(id.toLowerCase()) || (plan !== undefined && !disabled.has(plan.servicePlanId));
  };
  const alsoOff: ServicePlan[] = [];
  const alsoOn: ServicePlan[] = [];

  if (on) {
    disabled.delete(target.servicePlanId);
    // Switch on what the newly switched-on plan needs (and what that needs), from this product.
    for (let pending = [target]; pending.length > 0; ) {
      const next: ServicePlan[] = [];
      for (const plan of pending) {
        const dependency = planDependencies.find((d) => same(d.servicePlanId, plan.servicePlanId));
        if (!dependency || dependency.requiresAnyOf.some(isOn)) continue;
        const needed = dependency.requiresAnyOf.map(inProduct).find((p) => p !== undefined);
        if (!needed) continue; // nothing here can meet it: the server's detail will say so
        disabled.delete(needed.servicePlanId);
        alsoOn.push(needed);
        next.push(needed);
      }
      pending = next;
    }
  } else {
    disabled.add(target.servicePlanId);
    // Switch off every dependent left with none of what it needs, until nothing more changes.
    for (let changed = true; changed; ) {
      changed = false;
      for (const dependency of planDependencies) {
        const dependent = inProduct(dependency.servicePlanId);
        if (!dependent || disabled.has(dependent.servicePlanId)) continue;
        if (dependency.requiresAnyOf.some(isOn)) continue;
        disabled.add(dependent.servicePlanId);
        alsoOff.push(dependent);
        changed = true;
      }
    }
  }
  return {
    disabledPlans: product.servicePlans.map((p) => p.servicePlanId).filter((id) => disabled.has(id)),
    alsoOff,
    alsoOn,
  };
}

// The words come from the console's catalog (../i18n/) through i18next's shared instance, which the
// console sets up (a unit test sets it up with the English catalog).
const names = (plans: readonly ServicePlan[]): string =>
  new Intl.ListFormat(i18next.resolvedLanguage ?? "en", { type: "conjunction" }).format(
    plans.map((plan) => plan.displayName),
  );

/** Why each plan needs others: the catalog's words for the plan, else the domain's English reason. */
const reasonsOf = (plans: readonly ServicePlan[]): string =>
  plans
    .flatMap((plan) => {
      const dependency = planDependencies.find((d) => same(d.servicePlanId, plan.servicePlanId));
      if (!dependency) return [];
      const key = `planSwitching.${plan.servicePlanName}`;
      return [
        i18next.exists(key) ? String(i18next.t(key as "planSwitching.SHAREPOINTWAC")) : dependency.reason,
      ];
    })
    .join(" ");

/** What a switch did besides itself, in words: shown under the switches. */
export function describeSwitch(plan: ServicePlan, on: boolean, result: PlanSwitchResult): string | undefined {
  if (!on && result.alsoOff.length > 0) {
    return i18next.t("planSwitching.turningOff", {
      plan: plan.displayName,
      others: names(result.alsoOff),
      reasons: reasonsOf(result.alsoOff),
    });
  }
  if (on && result.alsoOn.length > 0) {
    return i18next.t("planSwitching.turnedOn", {
      plan: plan.displayName,
      others: names(result.alsoOn),
      reasons: reasonsOf([plan]),
    });
  }
  return undefined;
}

/** A license's plans switched off by `settleLicenses`, because nothing they need is on any more. */
export interface LicenseAlsoOff {
  readonly product: Product;
  readonly plans: readonly ServicePlan[];
}

/**
 * The user's licenses (skuId → switched-off plans) after a change, with every plan that needs
 * another switched off when none of what it needs is on in any of them (e.g. Audio Conferencing,
 * a license of its own, once the Skype for Business and Teams of another license are off or that
 * license is gone), until nothing more changes. Licenses the catalog does not know are kept as they
 * are.
 */
export function settleLicenses(licenses: ReadonlyMap<string, readonly string[]>): {
  readonly licenses: ReadonlyMap<string, readonly string[]>;
  readonly alsoOff: readonly LicenseAlsoOff[];
} {
  const held = [...licenses].flatMap(([skuId, disabledPlans]) => {
    const product = findProduct(skuId);
    if (!product) return [];
    const disabled = new Set(
      product.servicePlans
        .filter((plan) => disabledPlans.some((id) => same(id, plan.servicePlanId)))
        .map((plan) => plan.servicePlanId),
    );
    return [{ skuId, product, disabled, alsoOff: [] as ServicePlan[] }];
  });
  const isOn = (id: string) =>
    held.some(({ product, disabled }) =>
      product.servicePlans.some((plan) => same(plan.servicePlanId, id) && !disabled.has(plan.servicePlanId)),
    );
  for (let changed = true; changed; ) {
    changed = false;
    for (const license of held) {
      for (const plan of license.product.servicePlans) {
        if (license.disabled.has(plan.servicePlanId)) continue;
        const dependency = planDependencies.find((d) => same(d.servicePlanId, plan.servicePlanId));
        if (!dependency || dependency.requiresAnyOf.some(isOn)) continue;
        license.disabled.add(plan.servicePlanId);
        license.alsoOff.push(plan);
        changed = true;
      }
    }
  }
  const settled = new Map(licenses);
  for (const { skuId, product, disabled, alsoOff } of held) {
    if (alsoOff.length === 0) continue;
    settled.set(
      skuId,
      product.servicePlans.map((plan) => plan.servicePlanId).filter((id) => disabled.has(id)),
    );
  }
  return {
    licenses: settled,
    alsoOff: held
      .filter((license) => license.alsoOff.length > 0)
      .map(({ product, alsoOff }) => ({ product, plans: alsoOff })),
  };
}

/** What `settleLicenses` switched off, in words, with the reasons. */
export function describeAlsoOff(alsoOff: readonly LicenseAlsoOff[]): string | undefined {
  if (alsoOff.length === 0) return undefined;
  const what = alsoOff.map(({ product, plans }) =>
    plans.length === 1 && plans[0]?.displayName === product.displayName
      ? product.displayName
      : i18next.t("planSwitching.plansOf", { plans: names(plans), product: product.displayName }),
  );
  return i18next.t("planSwitching.alsoOff", {
    what: new Intl.ListFormat(i18next.resolvedLanguage ?? "en", { type: "conjunction" }).format(what),
    reasons: reasonsOf(alsoOff.flatMap(({ plans }) => plans)),
  });
}

/** The plans the user's licenses other than `skuId` keep on: they keep a dependent in `skuId` on. */
export function enabledElsewhere(
  licenses: ReadonlyMap<string, readonly string[]>,
  skuId: string,
): ReadonlySet<string> {
  const on = new Set<string>();
  for (const [otherSku, disabled] of licenses) {
    if (same(otherSku, skuId)) continue;
    for (const plan of findProduct(otherSku)?.servicePlans ?? []) {
      if (!disabled.some((id) => same(id, plan.servicePlanId))) on.add(plan.servicePlanId);
    }
  }
  return on;
}
