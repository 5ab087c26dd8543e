// A product's subscriptions (/licenses/:skuId/subscriptions): each one's seats, status and channel,
// their sum ("5 + 8 = 13"), and, with billing rights, remove seats and take over a self-service one.
import {
  Button,
  Link as FluentLink,
  makeStyles,
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
import { Link, useParams } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku, type Subscription } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus, type PageLoad, usePageLoad } from "../components/load-status.js";
import { useStackedTable } from "../components/stacked-table.js";
import {
  RemoveSeatsDialog,
  TakeOverDialog,
  useSubscriptionName,
} from "../components/subscription-dialogs.js";
import { formatDate, formatNumber, productName } from "../i18n/format.js";

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalM}` },
  summary: { display: "block", margin: `${tokens.spacingVerticalM} 0` },
  caption: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

type Load = PageLoad<{
  readonly product: SubscribedSku | undefined;
  readonly subscriptions: readonly Subscription[];
}>;

const statusKey = {
  Enabled: "subscriptions.statusEnabled",
  Warning: "subscriptions.statusWarning",
  Suspended: "subscriptions.statusSuspended",
  LockedOut: "subscriptions.statusLockedOut",
} as const;

export function SubscriptionsPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const { skuId = "" } = useParams<{ skuId: string }>();
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  const channelText = (subscription: Subscription): string =>
    subscription.purchaseChannel === "SelfService"
      ? t("subscriptions.channelSelfService")
      : t("subscriptions.channelAdmin");
  const [load, setLoad] = usePageLoad<Load>();
  const [notice, setNotice] = useState<string>();
  const [removing, setRemoving] = useState<Subscription>();
  const [takingOver, setTakingOver] = useState<Subscription>();
  const restoreFocusTarget = useRestoreFocusTarget();

  const reload = useCallback(async () => {
    const [skus, subscriptions] = await Promise.all([
      api.GET("/api/subscribedSkus"),
      api.GET("/api/subscriptions"),
    ]);
    if (!skus.data) return setLoad({ state: "failed", message: refusalText(skus.error, skus.response) });
    if (!subscriptions.data) {
      return setLoad({ state: "failed", message: refusalText(subscriptions.error, subscriptions.response) });
    }
    setLoad({
      state: "loaded",
      product: skus.data.value.find((sku) => sku.skuId === skuId),
      subscriptions: subscriptions.data.value
        .filter((subscription) => subscription.skuId === skuId)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    });
  }, [api, skuId, setLoad]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const done = (message: string) => {
    setNotice(message);
    setRemoving(undefined);
    setTakingOver(undefined);
    void reload();
  };

  const name =
    load.state === "loaded"
      ? (load.product?.displayName ?? productName(skuId))
      : t("subscriptions.productFallback");
  const mayBill = session.can("buyLicenses");
  const subscriptionName = useSubscriptionName(name);

  return (
    <>
      <nav aria-label={t("subscriptions.breadcrumb")}>
        <Link href="/licenses" asChild>
          <FluentLink>{t("licenses.title")}</FluentLink>
        </Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        {t("subscriptions.title", { product: name })}
      </Title1>
      <LoadStatus load={load} loading={t("subscriptions.loading")} notice={notice} onRetry={reload} />
      {load.state === "loaded" && load.subscriptions.length === 0 && (
        <Text as="p">{t("subscriptions.none")}</Text>
      )}
      {load.state === "loaded" && load.subscriptions.length > 0 && (
        <>
          <Summary subscriptions={load.subscriptions} product={load.product} className={styles.summary} />
          <Table aria-label={t("subscriptions.table", { product: name })} className={stacked.table}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t("subscriptions.subscription")}</TableHeaderCell>
                <TableHeaderCell>{t("subscriptions.licenses")}</TableHeaderCell>
                <TableHeaderCell>{t("subscriptions.status")}</TableHeaderCell>
                <TableHeaderCell>{t("subscriptions.channel")}</TableHeaderCell>
                <TableHeaderCell>{t("subscriptions.since")}</TableHeaderCell>
                {mayBill && <TableHeaderCell>{t("subscriptions.actions")}</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {load.subscriptions.map((subscription) => (
                <TableRow key={subscription.id}>
                  <TableCell data-label={t("subscriptions.subscription")}>
                    {t("subscriptions.rowName", {
                      date: formatDate(subscription.createdAt),
                      channel:
                        subscription.purchaseChannel === "SelfService"
                          ? t("subscriptions.byUser")
                          : t("subscriptions.byAdmin"),
                    })}
                  </TableCell>
                  <TableCell data-label={t("subscriptions.licenses")}>
                    {formatNumber(subscription.seats)}
                  </TableCell>
                  <TableCell data-label={t("subscriptions.status")}>
                    {t(statusKey[subscription.status])}
                  </TableCell>
                  <TableCell data-label={t("subscriptions.channel")}>{channelText(subscription)}</TableCell>
                  <TableCell data-label={t("subscriptions.since")}>
                    {formatDate(subscription.createdAt)}
                  </TableCell>
                  {mayBill && (
                    <TableCell>
                      <div className={styles.actions}>
                        {subscription.purchaseChannel === "Admin" && (
                          <Button
                            aria-label={t("subscriptions.removeSeatsLabel", {
                              subscription: subscriptionName(subscription),
                            })}
                            disabled={subscription.seats === 0}
                            onClick={() => setRemoving(subscription)}
                            {...restoreFocusTarget}
                          >
                            {t("subscriptions.removeSeats")}
                          </Button>
                        )}
                        {subscription.purchaseChannel === "SelfService" && (
                          <Button
                            aria-label={t("subscriptions.takeOverLabel", {
                              subscription: subscriptionName(subscription),
                            })}
                            onClick={() => setTakingOver(subscription)}
                            {...restoreFocusTarget}
                          >
                            {t("subscriptions.takeOver")}
                          </Button>
                        )}
                      </div>
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
      <RemoveSeatsDialog
        api={api}
        subscription={removing}
        productName={name}
        assigned={load.state === "loaded" ? (load.product?.consumedUnits ?? 0) : 0}
        onDone={done}
        onCancel={() => setRemoving(undefined)}
      />
      <TakeOverDialog
        api={api}
        subscription={takingOver}
        productName={name}
        onDone={done}
        onCancel={() => setTakingOver(undefined)}
      />
    </>
  );
}

/**
 * "5 + 8 = 13": the enabled admin-managed subscriptions' seats, which make the product's valid
 * licenses on the Licenses page; self-service seats are counted apart, as there.
 */
function Summary(props: {
  readonly subscriptions: readonly Subscription[];
  readonly product: SubscribedSku | undefined;
  readonly className: string;
}) {
  const { t } = useTranslation();
  const valid = props.subscriptions.filter(
    (subscription) => subscription.purchaseChannel === "Admin" && subscription.status === "Enabled",
  );
  const total = valid.reduce((sum, subscription) => sum + subscription.seats, 0);
  const sum =
    valid.length > 1
      ? `${valid.map((s) => formatNumber(s.seats)).join(" + ")} = ${formatNumber(total)}`
      : formatNumber(total);
  const selfService = props.subscriptions.filter((s) => s.purchaseChannel === "SelfService");
  return (
    <Text className={props.className}>
      {t("subscriptions.summary", { sum, count: valid.length })}
      {props.product ? t("subscriptions.summaryAssigned", { count: props.product.consumedUnits }) : ""}.
      {selfService.length > 0 &&
        t("subscriptions.summarySelfService", { count: selfService.reduce((n, s) => n + s.seats, 0) })}
    </Text>
  );
}
