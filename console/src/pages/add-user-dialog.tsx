// "Add a user": name, user name, member or guest, and the licenses to give, each with a switch per
// service (`ServicePlanSwitches`, as in the user panel), in one all-or-nothing request
// (`POST /api/users` with `licenses: [{ skuId, disabledPlans }]`): if a license cannot be given, no
// user is made and the server's own detail says why.
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
  MessageBarTitle,
  makeStyles,
  Select,
  Spinner,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { findProduct } from "../../../shared/domain/catalog.js";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LicenseChoices } from "../components/license-choices.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  licenses: { display: "flex", flexDirection: "column", border: "none", margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
});

interface AddUserProps {
  readonly api: ApiClient;
  readonly session: Session;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

/** Stays mounted (unmounting an open Fluent dialog leaves the page aria-hidden); the form mounts afresh at each opening. */
export function AddUserDialog(props: AddUserProps & { readonly open: boolean }) {
  return (
    <Dialog open={props.open} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>{props.open && <AddUserForm {...props} />}</DialogSurface>
    </Dialog>
  );
}

function AddUserForm(props: AddUserProps) {
  const { api, session } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState("");
  const [userPrincipalName, setUserPrincipalName] = useState("");
  const [userType, setUserType] = useState<"Member" | "Guest">("Member");
  const [products, setProducts] = useState<readonly SubscribedSku[]>();
  // The products ticked: skuId → its switched-off plans.
  const [chosen, setChosen] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.GET("/api/subscribedSkus").then(({ data, error, response }) => {
      if (data) setProducts(data.value);
      else setRefusal(refusalText(error, response));
    });
  }, [api]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/users", {
      body: {
        displayName: displayName.trim(),
        userPrincipalName: userPrincipalName.trim(),
        userType,
        accountEnabled: true,
        mailboxType: "User",
        litigationHold: false,
        licenses: [...chosen].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans: [...disabledPlans] })),
      },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    const count = data.assignedLicenses.length;
    props.onDone(
      count === 0
        ? t("addUser.added_zero", { name: data.displayName, upn: data.userPrincipalName })
        : t("addUser.added", { count, name: data.displayName, upn: data.userPrincipalName }),
    );
  };

  // Licensing a guest needs the Global Administrator's right; the server says so if it is missing.
  const guestNote =
    userType === "Guest" && chosen.size > 0 && !session.can("licenseGuests")
      ? t("addUser.guestNote")
      : undefined;

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("addUser.title")}</DialogTitle>
        <DialogContent className={styles.form}>
          <Field label={t("addUser.displayName")} required>
            <Input value={displayName} onChange={(_, data) => setDisplayName(data.value)} />
          </Field>
          <Field label={t("addUser.userName")} required hint={t("addUser.userNameHint")}>
            <Input
              type="email"
              value={userPrincipalName}
              onChange={(_, data) => setUserPrincipalName(data.value)}
            />
          </Field>
          <Field label={t("addUser.userType")}>
            <Select value={userType} onChange={(_, data) => setUserType(data.value as "Member" | "Guest")}>
              <option value="Member">{t("addUser.member")}</option>
              <option value="Guest">{t("addUser.guest")}</option>
            </Select>
          </Field>
          <fieldset className={styles.licenses}>
            <legend className={styles.legend}>{t("addUser.licenses")}</legend>
            {!products && !refusal && <Spinner size="small" label={t("licenses.loading")} />}
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
                licenses={chosen}
                onChange={setChosen}
              />
            )}
          </fieldset>
          {guestNote && (
            <MessageBar intent="warning">
              <MessageBarBody>{guestNote}</MessageBarBody>
            </MessageBar>
          )}
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>
                <MessageBarTitle>{t("addUser.notAdded")}</MessageBarTitle>
                {refusal}
              </MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button
            type="submit"
            appearance="primary"
            disabled={busy || !displayName.trim() || !userPrincipalName.trim()}
          >
            {t("addUser.add")}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
