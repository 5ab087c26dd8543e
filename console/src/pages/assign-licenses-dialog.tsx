// Assign a product to one user, every service on. Choosing by name or UPN with search, several users
// and services switched off come with the product page.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
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
import { type ApiClient, refusalText, type SubscribedSku, type User } from "../api/client.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface AssignProps {
  readonly api: ApiClient;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

/**
 * Open while `product` is set. Stays mounted (unmounting an open Fluent dialog leaves the page
 * behind it aria-hidden); the form inside mounts afresh at each opening.
 */
export function AssignLicensesDialog(props: AssignProps & { readonly product: SubscribedSku | undefined }) {
  const { product } = props;
  return (
    <Dialog open={product !== undefined} onOpenChange={(_, data) => !data.open && props.onCancel()}>
      <DialogSurface>{product && <AssignLicensesForm {...props} product={product} />}</DialogSurface>
    </Dialog>
  );
}

function AssignLicensesForm(props: AssignProps & { readonly product: SubscribedSku }) {
  const { api, product } = props;
  const styles = useStyles();
  const [candidates, setCandidates] = useState<readonly User[]>();
  const [userId, setUserId] = useState("");
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.GET("/api/users", { params: { query: { top: 999 } } }).then(({ data, error, response }) => {
      if (!data) return setRefusal(refusalText(error, response));
      // Without $select every user comes whole: the schema's union also allows a selection.
      const without = data.value
        .filter((user): user is User => user.assignedLicenses !== undefined)
        .filter((user) => !user.assignedLicenses.some((license) => license.skuId === product.skuId));
      setCandidates(without);
      setUserId((current) => current || (without[0]?.id ?? ""));
    });
  }, [api, product.skuId]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/users/{id}/assignLicense", {
      params: { path: { id: userId } },
      body: { addLicenses: [{ skuId: product.skuId, disabledPlans: [] }], removeLicenses: [] },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    const name = "displayName" in data ? data.displayName : "the user";
    props.onDone(`Assigned ${product.displayName} to ${name}.`);
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>Assign {product.displayName}</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>
            {product.availableUnits} of {product.prepaidUnits.enabled} available
          </Text>
          {!candidates && !refusal && <Spinner size="small" label="Loading users" />}
          {candidates && candidates.length === 0 && <Text>Every user already has this product.</Text>}
          {candidates && candidates.length > 0 && (
            <Field label="User" required>
              <Select value={userId} onChange={(_, data) => setUserId(data.value)}>
                {candidates.map((user) => (
                  <option key={user.id} value={user.id}>
                    {user.displayName} ({user.userPrincipalName})
                  </option>
                ))}
              </Select>
            </Field>
          )}
          {refusal && (
            <MessageBar intent="error">
              <MessageBarBody>
                <MessageBarTitle>Not assigned</MessageBarTitle>
                {refusal}
              </MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={!userId || busy}>
            Assign
          </Button>
          <Button onClick={props.onCancel}>Cancel</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
