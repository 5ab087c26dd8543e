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
import { Link, useParams } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku, type Subscription } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus, type PageLoad } from "../components/load-status.js";
import { RemoveSeatsDialog, TakeOverDialog } from "../components/subscription-dialogs.js";

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalS} 0 ${tokens.spacingVerticalM}` },
  summary: { display: "block", margin: `${tokens.spacingVerticalM} 0` },
  caption: { color: tokens.colorNeutralForeground3 },
  actions: { display: "flex", gap: tokens.spacingHorizontalS },
});

type Load = PageLoad<{
  readonly product: SubscribedSku | undefined;
  readonly subscriptions: readonly Subscription[];
}>;

/** The short form of a subscription id shown in the table (its first block, as the admin center does). */
export const shortId = (id: string): string => id.slice(0, 8);

const channelText = (subscription: Subscription): string =>
  subscription.purchaseChannel === "SelfService" ? "Self-service (bought by a user)" : "Admin";

export function SubscriptionsPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const { skuId = "" } = useParams<{ skuId: string }>();
  const styles = useStyles();
  const [load, setLoad] = useState<Load>({ state: "loading" });
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
  }, [api, skuId]);

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
      ? (load.product?.displayName ?? load.subscriptions[0]?.skuPartNumber ?? "Product")
      : "Product";
  const mayBill = session.can("buyLicenses");

  return (
    <>
      <nav aria-label="Breadcrumb">
        <Link href="/licenses" asChild>
          <FluentLink>Licenses</FluentLink>
        </Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        {name}: subscriptions
      </Title1>
      <LoadStatus load={load} loading="Loading the subscriptions" notice={notice} />
      {load.state === "loaded" && load.subscriptions.length === 0 && (
        <Text as="p">This organization has no subscription of this product.</Text>
      )}
      {load.state === "loaded" && load.subscriptions.length > 0 && (
        <>
          <Summary subscriptions={load.subscriptions} product={load.product} className={styles.summary} />
          <Table aria-label={`Subscriptions of ${name}`}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Subscription</TableHeaderCell>
                <TableHeaderCell>Licenses</TableHeaderCell>
                <TableHeaderCell>Status</TableHeaderCell>
                <TableHeaderCell>Bought through</TableHeaderCell>
                <TableHeaderCell>Since</TableHeaderCell>
                {mayBill && <TableHeaderCell>Actions</TableHeaderCell>}
              </TableRow>
            </TableHeader>
            <TableBody>
              {load.subscriptions.map((subscription) => (
                <TableRow key={subscription.id}>
                  <TableCell>
                    <span title={subscription.id}>{shortId(subscription.id)}</span>
                  </TableCell>
                  <TableCell>{subscription.seats}</TableCell>
                  <TableCell>{subscription.status}</TableCell>
                  <TableCell>{channelText(subscription)}</TableCell>
                  <TableCell>{new Date(subscription.createdAt).toLocaleDateString()}</TableCell>
                  {mayBill && (
                    <TableCell>
                      <div className={styles.actions}>
                        {subscription.purchaseChannel === "Admin" && (
                          <Button
                            aria-label={`Remove seats from subscription ${shortId(subscription.id)}`}
                            disabled={subscription.seats === 0}
                            onClick={() => setRemoving(subscription)}
                            {...restoreFocusTarget}
                          >
                            Remove seats
                          </Button>
                        )}
                        {subscription.purchaseChannel === "SelfService" && (
                          <Button
                            aria-label={`Take over subscription ${shortId(subscription.id)}`}
                            onClick={() => setTakingOver(subscription)}
                            {...restoreFocusTarget}
                          >
                            Take over
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
  const valid = props.subscriptions.filter(
    (subscription) => subscription.purchaseChannel === "Admin" && subscription.status === "Enabled",
  );
  const total = valid.reduce((sum, subscription) => sum + subscription.seats, 0);
  const sum = valid.length > 1 ? `${valid.map((s) => s.seats).join(" + ")} = ${total}` : String(total);
  const selfService = props.subscriptions.filter((s) => s.purchaseChannel === "SelfService");
  return (
    <Text className={props.className}>
      Valid licenses: {sum}, in {valid.length} enabled subscription{valid.length === 1 ? "" : "s"}
      {props.product ? `; ${props.product.consumedUnits} assigned` : ""}.
      {selfService.length > 0 &&
        ` ${selfService.reduce((n, s) => n + s.seats, 0)} more bought by users themselves (self-service).`}
    </Text>
  );
}
