// "Licenses and apps": a checkbox per product and, under each one ticked, a switch per service
// (ServicePlanSwitches). A change settles the other licenses too (settleLicenses): a service that
// needed what was switched off or unticked goes off with it, and a note says which and why. Used by
// the user panel, Add a user, "Manage product licenses" and a group's page. A product the user holds
// only through groups shows ticked and locked: it is changed on its group.
import {
  Checkbox,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { findProduct, type Product } from "../../../shared/domain/catalog.js";
import type { SubscribedSku } from "../api/client.js";
import type { LicenseDraft } from "./license-draft.js";
import { describeAlsoOff, enabledElsewhere, settleLicenses } from "./plan-switching.js";
import { ServicePlanSwitches } from "./service-plan-switches.js";

const useStyles = makeStyles({
  product: { display: "flex", flexDirection: "column" },
  products: { display: "flex", flexDirection: "column", border: "none", margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
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

/**
 * The tenant's products (`GET /api/subscribedSkus`) as choices under a legend, each with its seats
 * ("… (3 of 5 available)"); a spinner until they come (`products` undefined, not `failed`).
 */
export function ProductChoices(props: {
  readonly legend: string;
  readonly products: readonly SubscribedSku[] | undefined;
  /** The products could not be read (the dialog says why). */
  readonly failed: boolean;
  readonly licenses: LicenseDraft;
  readonly onChange: (licenses: LicenseDraft) => void;
}) {
  const { products } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <fieldset className={styles.products}>
      <legend className={styles.legend}>{props.legend}</legend>
      {!products && !props.failed && <Spinner size="small" label={t("licenses.loading")} />}
      {products && products.length === 0 && <Text>{t("licenses.noProducts")}</Text>}
      {products && (
        <LicenseChoices
          choices={products.flatMap((sku) => {
            const product = findProduct(sku.skuId);
            const label = t("addUser.productLabel", {
              product: sku.displayName,
              available: sku.availableUnits,
              total: sku.prepaidUnits.enabled,
            });
            return product ? [{ product, label }] : [];
          })}
          licenses={props.licenses}
          onChange={props.onChange}
        />
      )}
    </fieldset>
  );
}
