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
import { type ApiClient, refusalText, type Subscription } from "../api/client.js";

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

const short = (id: string) => id.slice(0, 8);

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
    props.onDone(
      `Removed ${remove} licenses from subscription ${short(subscription.id)} of ${props.productName}: ${data.seats} left.`,
    );
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>Remove licenses</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>
            Subscription {short(subscription.id)} of {props.productName} has {subscription.seats} licenses;{" "}
            {props.assigned} of the product's licenses are assigned. The product cannot keep fewer licenses
            than it has assigned: unassign some first.
          </Text>
          <Field
            label="Number of licenses to remove"
            required
            validationState={valid ? "none" : "error"}
            validationMessage={valid ? null : `Give a whole number from 1 to ${subscription.seats}.`}
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
            Remove
          </Button>
          <Button onClick={props.onCancel}>Cancel</Button>
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
    props.onDone(
      `Took over subscription ${short(subscription.id)} of ${props.productName}: its ${data.seats} licenses can now be assigned.`,
    );
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>Take over this subscription</DialogTitle>
        <DialogContent>
          <Text>
            A user bought subscription {short(subscription.id)} of {props.productName} ({subscription.seats}{" "}
            licenses) for themselves. Taking it over makes it managed by your organization: its licenses can
            then be assigned to anyone, and the buyer no longer manages it.
          </Text>
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>{refusal}</MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={busy}>
            Take over
          </Button>
          <Button onClick={props.onCancel}>Cancel</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
