// A switch per service plan of one product, with the catalog's friendly names, as the admin center's
// "Licenses and apps" shows them. Switching off a plan that others depend on (the catalog's
// `planDependencies`, e.g. Office for the web needs SharePoint or OneDrive) switches those off with it
// and says so, before anything is sent; switching such a dependent on switches on what it needs. Used
// by the user panel, and meant for any page that assigns a product with services off.
import { MessageBar, MessageBarBody, makeStyles, Switch, tokens } from "@fluentui/react-components";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Product, ServicePlan } from "../../../shared/domain/catalog.js";
import { describeSwitch, same, switchServicePlan } from "./plan-switching.js";

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
  const { t } = useTranslation();
  const [note, setNote] = useState<string>();
  const isDisabled = (plan: ServicePlan) => disabledPlans.some((id) => same(id, plan.servicePlanId));

  const toggle = (plan: ServicePlan, on: boolean) => {
    const result = switchServicePlan(product, disabledPlans, plan.servicePlanId, on, enabledElsewhere);
    setNote(describeSwitch(plan, on, result));
    props.onChange(result.disabledPlans);
  };

  return (
    <fieldset
      aria-label={t("planSwitching.servicesOf", { product: product.displayName })}
      className={styles.group}
    >
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
