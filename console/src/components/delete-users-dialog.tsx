// "Delete users" for the users selected on the Users page: asked once (ConfirmDialog), naming how
// many and saying until when they can be restored with their data; then `DELETE users/{id}` for
// each, through `$batch` (20 a request, as Graph allows), each user's outcome said by name.
import { Text } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText } from "../api/client.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { DataLossWarning } from "./data-loss.js";
import { namesText } from "./names-text.js";

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
  readonly open: boolean;
  readonly api: ApiClient;
  readonly users: readonly Named[];
  /** Some were deleted: the dialog closes, the page says who was and who was not. */
  readonly onDone: (outcome: DeleteOutcome) => void;
  readonly onCancel: () => void;
}

/** Asks, then deletes; if no user could be deleted, the dialog stays open saying why. */
export function DeleteUsersDialog(props: DeleteProps) {
  const { api, users } = props;
  const { t } = useTranslation();
  const count = users.length;
  return (
    <ConfirmDialog
      open={props.open}
      title={t("usersList.deleteTitle", { count })}
      confirmLabel={t("usersList.deleteConfirm", { count })}
      refusalTitle={t("usersList.notDeletedTitle")}
      onConfirm={async () => {
        const outcome = await deleteUsers(api, users);
        if (outcome.deleted.length === 0) return outcome.failures.join("; ");
        props.onDone(outcome);
        return undefined;
      }}
      onCancel={props.onCancel}
    >
      <Text>{t("usersList.deleteText", { users: namesText(users.map((user) => user.displayName)) })}</Text>
      <DataLossWarning kind="delete" count={count} />
    </ConfirmDialog>
  );
}
