// "Add a user": name, user name, member or guest, and the licenses to give, each with a switch per
// service (`ServicePlanSwitches`, as in the user panel), in one all-or-nothing request
// (`POST /api/users` with `licenses: [{ skuId, disabledPlans }]`): if a license cannot be given, no
// user is made and the server's own detail says why.
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  makeStyles,
  Select,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { KeptDialog } from "../components/kept-dialog.js";
import { ProductChoices } from "../components/license-choices.js";
import { FailureAlert } from "../components/load-status.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface AddUserProps {
  readonly api: ApiClient;
  readonly session: Session;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

export function AddUserDialog(props: AddUserProps & { readonly open: boolean }) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <AddUserForm {...props} />
    </KeptDialog>
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
          <ProductChoices
            legend={t("addUser.licenses")}
            products={products}
            failed={refusal !== undefined}
            licenses={chosen}
            onChange={setChosen}
          />
          {guestNote && (
            <MessageBar intent="warning">
              <MessageBarBody>{guestNote}</MessageBarBody>
            </MessageBar>
          )}
          {refusal && <FailureAlert title={t("addUser.notAdded")} message={refusal} />}
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
