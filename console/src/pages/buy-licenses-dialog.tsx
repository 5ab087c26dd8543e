// Buy licenses: a new admin-managed subscription of a product from the catalog.
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
  Select,
  Spinner,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useEffect, useState } from "react";
import { type ApiClient, refusalText, type Sku } from "../api/client.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface BuyProps {
  readonly api: ApiClient;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

/**
 * Stays mounted and opens and closes through `open`: unmounting an open Fluent dialog leaves the
 * page behind it aria-hidden. The form inside mounts afresh at each opening.
 */
export function BuyLicensesDialog(props: BuyProps & { readonly open: boolean }) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>{props.open && <BuyLicensesForm {...props} />}</DialogSurface>
    </Dialog>
  );
}

function BuyLicensesForm(props: BuyProps) {
  const { api } = props;
  const styles = useStyles();
  const [catalog, setCatalog] = useState<readonly Sku[]>();
  const [skuId, setSkuId] = useState("");
  const [seats, setSeats] = useState("1");
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.GET("/api/skus").then(({ data, error, response }) => {
      if (!data) return setRefusal(refusalText(error, response));
      setCatalog(data.value);
      setSkuId((current) => current || (data.value[0]?.skuId ?? ""));
    });
  }, [api]);

  const count = Number(seats);
  const seatsValid = Number.isInteger(count) && count >= 1;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/subscriptions", {
      body: { skuId, seats: count, purchaseChannel: "Admin" },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    const name = catalog?.find((sku) => sku.skuId === skuId)?.displayName ?? data.skuPartNumber;
    props.onDone(`Bought ${data.seats} licenses of ${name}.`);
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>Buy licenses</DialogTitle>
        <DialogContent className={styles.form}>
          {!catalog && !refusal && <Spinner size="small" label="Loading the catalog" />}
          {catalog && (
            <>
              <Field label="Product" required>
                <Select value={skuId} onChange={(_, data) => setSkuId(data.value)}>
                  {catalog.map((sku) => (
                    <option key={sku.skuId} value={sku.skuId}>
                      {sku.displayName}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label="Number of licenses"
                required
                validationState={seatsValid ? "none" : "error"}
                validationMessage={seatsValid ? null : "Give a whole number, 1 or more."}
              >
                <Input type="number" min={1} value={seats} onChange={(_, data) => setSeats(data.value)} />
              </Field>
            </>
          )}
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>{refusal}</MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={!catalog || !seatsValid || busy}>
            Buy
          </Button>
          <Button onClick={props.onCancel}>Cancel</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
