// "Delete users" for the users selected on the Users page: asked once, naming how many and saying
// until when they can be restored with their data; then `DELETE users/{id}` for each, through
// `$batch` (20 a request, as Graph allows), each user's outcome said by name.
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  makeStyles,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText } from "../api/client.js";
import { DataLossWarning } from "./data-loss.js";
import { KeptDialog } from "./kept-dialog.js";
import { namesText } from "./names-text.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface Named {
  readonly id: string;
  readonly displayName: string;
}

/** What the deletions did: the names deleted, and a sentence per user not deleted. */
export interface DeleteOutcome {
  readonly deleted: readonly string[];
  readonly failures: readonly string[];
}

/** `DELETE users/{id}` for each user, 20 to a `$batch`, 4 batches at a time. */
export async function deleteUsers(api: ApiClient, users: readonly Named[]): Promise<DeleteOutcome> {
  const batches: Named[][] = [];
  for (let i = 0; i < users.length; i += 20) batches.push(users.slice(i, i + 20));
  const deleted: string[] = [];
  const failures: string[] = [];
  for (let i = 0; i < batches.length; i += 4) {
    const answers = await Promise.all(
      batches.slice(i, i + 4).map(async (batch) => ({
        batch,
        answer: await api.POST("/api/$batch", {
          body: {
            requests: batch.map((user, index) => ({
              id: String(index),
              method: "DELETE",
              url: `users/${encodeURIComponent(user.id)}`,
            })),
          },
        }),
      })),
    );
    for (const { batch, answer } of answers) {
      const { data, error, response } = answer;
      if (!data) {
        const reason = refusalText(error, response);
        for (const user of batch) failures.push(failureText(user.displayName, reason));
        continue;
      }
      for (const inner of data.responses) {
        const user = batch[Number(inner.id)];
        if (!user) continue;
        if (inner.status >= 200 && inner.status < 300) deleted.push(user.displayName);
        else
          failures.push(
            failureText(
              user.displayName,
              refusalText(inner.body, new Response(null, { status: inner.status })),
            ),
          );
      }
    }
  }
  return { deleted, failures };
}

const failureText = (name: string, reason: string) => `${name}: ${reason}`;

interface DeleteProps {
  readonly api: ApiClient;
  readonly users: readonly Named[];
  readonly onDone: (outcome: DeleteOutcome) => void;
  readonly onCancel: () => void;
}

export function DeleteUsersDialog(props: DeleteProps & { readonly open: boolean }) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <DeleteForm {...props} />
    </KeptDialog>
  );
}

function DeleteForm(props: DeleteProps) {
  const { api, users } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const count = users.length;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    props.onDone(await deleteUsers(api, users));
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("usersList.deleteTitle", { count })}</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>
            {t("usersList.deleteText", { users: namesText(users.map((user) => user.displayName)) })}
          </Text>
          <DataLossWarning kind="delete" count={count} />
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabledFocusable={busy}>
            {t("usersList.deleteConfirm", { count })}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
