// "Licenses and apps": a checkbox per product and, under each one ticked, a switch per service
// (ServicePlanSwitches). A change settles the other licenses too (settleLicenses): a service that
// needed what was switched off or unticked goes off with it, and a note says which and why. Used by
// the user panel, Add a user and a group's page. A product the user holds only through groups shows
// ticked and locked: it is changed on its group.
import { Checkbox, MessageBar, MessageBarBody, makeStyles } from "@fluentui/react-components";
import { type ReactNode, useState } from "react";
import type { Product } from "../../../shared/domain/catalog.js";
import type { LicenseDraft } from "./license-draft.js";
import { describeAlsoOff, enabledElsewhere, settleLicenses } from "./plan-switching.js";
import { ServicePlanSwitches } from "./service-plan-switches.js";

const useStyles = makeStyles({
  product: { display: "flex", flexDirection: "column" },
});

export type { LicenseDraft } from "./license-draft.js";

export interface LicenseChoice {
  readonly product: Product;
  /** The checkbox's label (e.g. with the seats available). */
  readonly label: string;
  /** Shown under the checkbox: where the user's license comes from. */
  readonly sources?: ReactNode;
  /**
   * For a product held only through groups: its switched-off plans. Shown ticked, locked, while
   * `licenses` does not have it (ticking it there would assign it directly too).
   */
  readonly inheritedDisabledPlans?: readonly string[];
}

export interface LicenseChoicesProps {
  /** The products offered. */
  readonly choices: readonly LicenseChoice[];
  readonly licenses: LicenseDraft;
  readonly onChange: (licenses: LicenseDraft) => void;
  /** For a role that may not change licenses: everything shows, nothing moves. */
  readonly readOnly?: boolean;
}

export function LicenseChoices(props: LicenseChoicesProps) {
  const { choices, licenses, readOnly } = props;
  const styles = useStyles();
  const [note, setNote] = useState<string>();

  const change = (skuId: string, disabledPlans: readonly string[] | undefined) => {
    const next = new Map(licenses);
    if (disabledPlans === undefined) next.delete(skuId);
    else next.set(skuId, disabledPlans);
    const settled = settleLicenses(next);
    setNote(describeAlsoOff(settled.alsoOff));
    props.onChange(settled.licenses);
  };

  return (
    <>
      {choices.map(({ product, label, sources, inheritedDisabledPlans }) => {
        const own = licenses.get(product.skuId);
        const locked = own === undefined && inheritedDisabledPlans !== undefined;
        const disabledPlans = own ?? inheritedDisabledPlans;
        return (
          <div key={product.skuId} className={styles.product}>
            <Checkbox
              label={label}
              checked={disabledPlans !== undefined}
              disabled={readOnly === true || locked}
              onChange={(_, data) => change(product.skuId, data.checked === true ? [] : undefined)}
            />
            {sources}
            {disabledPlans !== undefined && (
              <ServicePlanSwitches
                product={product}
                disabledPlans={disabledPlans}
                enabledElsewhere={enabledElsewhere(licenses, product.skuId)}
                readOnly={readOnly === true || locked}
                onChange={(next) => change(product.skuId, next)}
              />
            )}
          </div>
        );
      })}
      {note && (
        <MessageBar intent="info" layout="multiline" politeness="polite">
          <MessageBarBody>{note}</MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
