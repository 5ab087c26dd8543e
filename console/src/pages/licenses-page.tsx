// "Licenses": each product the tenant bought, with "N of M available", its valid, expired and
// assigned seats and a bar; buy seats (billing rights) and assign (assigning rights) from here.
import {
  Button,
  Link as FluentLink,
  makeStyles,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus, type PageLoad, usePageLoad } from "../components/load-status.js";
import { useStackedTable } from "../components/stacked-table.js";
import { formatNumber } from "../i18n/format.js";
import { BuyLicensesDialog } from "./buy-licenses-dialog.js";
import { ProductAssignDialog } from "./product-dialogs.js";

const useStyles = makeStyles({
  header: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  title: { flexGrow: 1, margin: `${tokens.spacingVerticalM} 0` },
  toolbar: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  available: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, minWidth: "160px" },
  caption: { color: tokens.colorNeutralForeground3 },
});

type Load = PageLoad<{ readonly products: readonly SubscribedSku[] }>;

const expiredOf = (sku: SubscribedSku): number =>
  sku.prepaidUnits.warning + sku.prepaidUnits.suspended + sku.prepaidUnits.lockedOut;

export function LicensesPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  const subscriptionsText = (sku: SubscribedSku): string =>
    t("licenses.subscriptions", { count: sku.subscriptionIds.length });
  const [load, setLoad] = usePageLoad<Load>();
  const [notice, setNotice] = useState<string>();
  const [buying, setBuying] = useState(false);
  // The product last chosen for assignment: its dialog stays mounted once opened (unmounting an open
  // Fluent dialog leaves the page behind it aria-hidden), and opens again for the next product.
  const [assigning, setAssigning] = useState<{ readonly product: SubscribedSku; readonly open: boolean }>();
  const closeAssign = () => setAssigning((last) => last && { ...last, open: false });
  // A dialog opened by state, not by a DialogTrigger, gives focus back to the button marked so.
  const restoreFocusTarget = useRestoreFocusTarget();

  const reload = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/subscribedSkus");
    if (data) setLoad({ state: "loaded", products: data.value });
    else setLoad({ state: "failed", message: refusalText(error, response) });
  }, [api, setLoad]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const done = (message: string) => {
    setNotice(message);
    setBuying(false);
    closeAssign();
    void reload();
  };

  return (
    <>
      <div className={styles.header}>
        <Title1 as="h1" className={styles.title}>
          {t("licenses.title")}
        </Title1>
      </div>
      <div className={styles.toolbar}>
        {session.can("buyLicenses") && (
          <Button appearance="primary" onClick={() => setBuying(true)} {...restoreFocusTarget}>
            {t("licenses.buy")}
          </Button>
        )}
        <Button onClick={() => void reload()}>{t("common.refresh")}</Button>
      </div>
      <LoadStatus load={load} loading={t("licenses.loading")} notice={notice} onRetry={reload} />
      {load.state === "loaded" && load.products.length === 0 && (
        <Text as="p">{t("licenses.noProducts")}</Text>
      )}
      {load.state === "loaded" && load.products.length > 0 && (
        <Table aria-label={t("licenses.table")} className={stacked.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("licenses.product")}</TableHeaderCell>
              <TableHeaderCell>{t("licenses.availableLicenses")}</TableHeaderCell>
              <TableHeaderCell>{t("licenses.valid")}</TableHeaderCell>
              <TableHeaderCell>{t("licenses.expired")}</TableHeaderCell>
              <TableHeaderCell>{t("licenses.assigned")}</TableHeaderCell>
              {session.can("assignLicenses") && <TableHeaderCell>{t("licenses.actions")}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {load.products.map((sku) => (
              <TableRow key={sku.skuId}>
                <TableCell data-label={t("licenses.product")}>
                  <Link href={`/licenses/${sku.skuId}`}>{sku.displayName}</Link>
                </TableCell>
                <TableCell data-label={t("licenses.availableLicenses")}>
                  <div className={styles.available}>
                    <Text>
                      {t("licenses.available", {
                        available: sku.availableUnits,
                        total: sku.prepaidUnits.enabled,
                      })}
                    </Text>
                    <ProgressBar
                      aria-label={t("licenses.assignedBar", {
                        product: sku.displayName,
                        assigned: sku.consumedUnits,
                        total: sku.prepaidUnits.enabled,
                      })}
                      value={
                        sku.prepaidUnits.enabled === 0 ? 0 : sku.consumedUnits / sku.prepaidUnits.enabled
                      }
                      color={sku.availableUnits === 0 ? "warning" : "brand"}
                      thickness="large"
                    />
                    {sku.selfServiceUnits.enabled > 0 && (
                      <Text size={200} className={styles.caption}>
                        {t("licenses.selfService", { count: sku.selfServiceUnits.enabled })}
                      </Text>
                    )}
                  </div>
                </TableCell>
                <TableCell data-label={t("licenses.valid")}>
                  <div className={styles.available}>
                    <Text>{formatNumber(sku.prepaidUnits.enabled)}</Text>
                    <Text size={200}>
                      <Link href={`/licenses/${sku.skuId}/subscriptions`} asChild>
                        <FluentLink
                          aria-label={t("licenses.subscriptionsLabel", {
                            product: sku.displayName,
                            subscriptions: subscriptionsText(sku),
                          })}
                        >
                          {subscriptionsText(sku)}
                        </FluentLink>
                      </Link>
                    </Text>
                  </div>
                </TableCell>
                <TableCell data-label={t("licenses.expired")}>
                  <Text>{formatNumber(expiredOf(sku))}</Text>
                  {expiredOf(sku) > 0 && (
                    <Text as="p" size={200} className={styles.caption}>
                      {t("licenses.expiredParts", sku.prepaidUnits)}
                    </Text>
                  )}
                </TableCell>
                <TableCell data-label={t("licenses.assigned")}>{formatNumber(sku.consumedUnits)}</TableCell>
                {session.can("assignLicenses") && (
                  <TableCell>
                    <Button
                      aria-label={t("licenses.assignLabel", { product: sku.displayName })}
                      onClick={() => setAssigning({ product: sku, open: true })}
                      {...restoreFocusTarget}
                    >
                      {t("licenses.assign")}
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <BuyLicensesDialog open={buying} api={api} onDone={done} onCancel={() => setBuying(false)} />
      {assigning && (
        <ProductAssignDialog
          open={assigning.open}
          api={api}
          product={assigning.product}
          onDone={done}
          onCancel={closeAssign}
        />
      )}
    </>
  );
}
