// A switch per service plan of one product, with the catalog's friendly names, as the admin center's
// "Licenses and apps" shows them. Switching off a plan that others depend on (the catalog's
// `planDependencies`, e.g. Office for the web needs SharePoint or OneDrive) switches those off with it
// and says so, before anything is sent; switching such a dependent on switches on what it needs. Used
// by the user panel, and meant for any page that assigns a product with services off.
import { MessageBar, MessageBarBody, makeStyles, Switch, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { type Product, planDependencies, type ServicePlan } from "../../../shared/domain/catalog.js";

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

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

const names = (plans: readonly ServicePlan[]): string => {
  const list = plans.map((plan) => plan.displayName);
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
};

const reasonsOf = (plans: readonly ServicePlan[]): string =>
  plans
    .map((plan) => planDependencies.find((d) => same(d.servicePlanId, plan.servicePlanId))?.reason)
    .filter((reason): reason is string => reason !== undefined)
    .join(" ");

/** What a switch did besides itself, in words: shown under the switches. */
export function describeSwitch(plan: ServicePlan, on: boolean, result: PlanSwitchResult): string | undefined {
  if (!on && result.alsoOff.length > 0) {
    return `Turning off ${plan.displayName} turns off ${names(result.alsoOff)} too: ${reasonsOf(result.alsoOff)}`;
  }
  if (on && result.alsoOn.length > 0) {
    return `${plan.displayName} needs ${names(result.alsoOn)}, so it was turned on too. ${reasonsOf([plan])}`;
  }
  return undefined;
}

const useStyles = makeStyles({
  group: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    border: "none",
    margin: 0,
    padding: `0 0 0 ${tokens.spacingHorizontalXXL}`,
  },
});

export interface ServicePlanSwitchesProps {
  readonly product: Product;
  /** The product's switched-off plans (Graph's `disabledPlans`). */
  readonly disabledPlans: readonly string[];
  readonly onChange: (disabledPlans: string[]) => void;
  /** Plans on through the user's other licenses: they keep a dependent on. */
  readonly enabledElsewhere?: ReadonlySet<string>;
  /** For a role that may not change services: the switches show, but do not move. */
  readonly readOnly?: boolean;
}

export function ServicePlanSwitches(props: ServicePlanSwitchesProps) {
  const { product, disabledPlans, enabledElsewhere, readOnly } = props;
  const styles = useStyles();
  const [note, setNote] = useState<string>();
  const isDisabled = (plan: ServicePlan) => disabledPlans.some((id) => same(id, plan.servicePlanId));

  const toggle = (plan: ServicePlan, on: boolean) => {
    const result = switchServicePlan(product, disabledPlans, plan.servicePlanId, on, enabledElsewhere);
    setNote(describeSwitch(plan, on, result));
    props.onChange(result.disabledPlans);
  };

  return (
    <fieldset aria-label={`${product.displayName} apps and services`} className={styles.group}>
      {product.servicePlans.map((plan) => (
        <Switch
          key={plan.servicePlanId}
          label={plan.displayName}
          checked={!isDisabled(plan)}
          disabled={readOnly}
          onChange={(_, data) => toggle(plan, data.checked)}
        />
      ))}
      {note && (
        <MessageBar intent="info" layout="multiline" politeness="polite">
          <MessageBarBody>{note}</MessageBarBody>
        </MessageBar>
      )}
    </fieldset>
  );
}
