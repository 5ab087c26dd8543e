// The subscriptions page's dialogs: remove seats (PATCH seats down; never below what is assigned, the
// server says so in its own words) and take over a self-service subscription. Each stays mounted and
// opens with its subscription, since unmounting an open Fluent dialog leaves the page aria-hidden.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText, type Subscription } from "../api/client.js";
import { formatDate } from "../i18n/format.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface DialogProps {
  readonly api: ApiClient;
  readonly subscription: Subscription | undefined;
  readonly productName: string;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

/**
 * A subscription named in words, never by its id: "Microsoft 365 Business Premium, Admin, bought
 * 1 May 2026, 5 licenses".
 */
export function useSubscriptionName(productName: string): (subscription: Subscription) => string {
  const { t } = useTranslation();
  return (subscription) =>
    t("subscriptions.name", {
      product: productName,
      channel:
        subscription.purchaseChannel === "SelfService"
          ? t("subscriptions.channelSelfService")
          : t("subscriptions.channelAdmin"),
      date: formatDate(subscription.createdAt),
      count: subscription.seats,
    });
}

export function RemoveSeatsDialog(props: DialogProps & { readonly assigned: number }) {
  const { subscription } = props;
  return (
    <Dialog open={subscription !== undefined} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>
        {subscription && <RemoveSeatsForm {...props} subscription={subscription} />}
      </DialogSurface>
    </Dialog>
  );
}

function RemoveSeatsForm(
  props: DialogProps & { readonly subscription: Subscription; readonly assigned: number },
) {
  const { api, subscription } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const name = useSubscriptionName(props.productName)(subscription);
  const [count, setCount] = useState("1");
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const remove = Number(count);
  const valid = Number.isInteger(remove) && remove >= 1 && remove <= subscription.seats;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!valid) return;
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.PATCH("/api/subscriptions/{id}", {
      params: { path: { id: subscription.id } },
      body: { seats: subscription.seats - remove },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    props.onDone(t("subscriptions.removed", { count: remove, subscription: name, left: data.seats }));
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("subscriptions.removeTitle")}</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>{t("subscriptions.removeText", { subscription: name, assigned: props.assigned })}</Text>
          <Field
            label={t("subscriptions.removeCount")}
            required
            validationState={valid ? "none" : "error"}
            validationMessage={
              valid ? null : t("subscriptions.removeCountInvalid", { max: subscription.seats })
            }
          >
            <Input
              type="number"
              min={1}
              max={subscription.seats}
              value={count}
              onChange={(_, data) => setCount(data.value)}
            />
          </Field>
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>{refusal}</MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={!valid || busy}>
            {t("subscriptions.remove")}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

export function TakeOverDialog(props: DialogProps) {
  const { subscription } = props;
  return (
    <Dialog open={subscription !== undefined} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>{subscription && <TakeOverForm {...props} subscription={subscription} />}</DialogSurface>
    </Dialog>
  );
}

function TakeOverForm(props: DialogProps & { readonly subscription: Subscription }) {
  const { api, subscription } = props;
  const { t } = useTranslation();
  const name = useSubscriptionName(props.productName)(subscription);
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/subscriptions/{id}/takeOver", {
      params: { path: { id: subscription.id } },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    props.onDone(t("subscriptions.tookOver", { subscription: name, count: data.seats }));
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("subscriptions.takeOverTitle")}</DialogTitle>
        <DialogContent>
          <Text>{t("subscriptions.takeOverText", { subscription: name })}</Text>
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>{refusal}</MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={busy}>
            {t("subscriptions.takeOver")}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
