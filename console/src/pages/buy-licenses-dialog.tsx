// Buy licenses: a new admin-managed subscription of a product from the catalog.
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  Field,
  Input,
  makeStyles,
  Select,
  Spinner,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText, type Sku } from "../api/client.js";
import { KeptDialog } from "../components/kept-dialog.js";
import { FailureAlert } from "../components/load-status.js";

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
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <BuyLicensesForm {...props} />
    </KeptDialog>
  );
}

function BuyLicensesForm(props: BuyProps) {
  const { api } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [catalog, setCatalog] = useState<readonly Sku[]>();
  const [skuId, setSkuId] = useState("");
  const [seats, setSeats] = useState("1");
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  const loadCatalog = useCallback(async () => {
    setRefusal(undefined);
    const { data, error, response } = await api.GET("/api/skus");
    if (!data) return setRefusal(refusalText(error, response));
    setCatalog(data.value);
    setSkuId((current) => current || (data.value[0]?.skuId ?? ""));
  }, [api]);

  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

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
    props.onDone(t("buy.bought", { count: data.seats, product: name }));
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("buy.title")}</DialogTitle>
        <DialogContent className={styles.form}>
          {!catalog && !refusal && <Spinner size="small" label={t("buy.loadingCatalog")} />}
          {catalog && (
            <>
              <Field label={t("buy.product")} required>
                <Select value={skuId} onChange={(_, data) => setSkuId(data.value)}>
                  {catalog.map((sku) => (
                    <option key={sku.skuId} value={sku.skuId}>
                      {sku.displayName}
                    </option>
                  ))}
                </Select>
              </Field>
              <Field
                label={t("buy.seats")}
                required
                validationState={seatsValid ? "none" : "error"}
                validationMessage={seatsValid ? null : t("buy.seatsInvalid")}
              >
                <Input type="number" min={1} value={seats} onChange={(_, data) => setSeats(data.value)} />
              </Field>
            </>
          )}
          {/* Without the catalog, Retry reads it again; a purchase is bought again only by Buy. */}
          {refusal && <FailureAlert message={refusal} onRetry={catalog ? undefined : loadCatalog} />}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={!catalog || !seatsValid || busy}>
            {t("buy.buy")}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
