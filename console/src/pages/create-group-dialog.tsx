// "Create a group": a security group's name, mail nickname (made from the name unless changed) and
// description, sent as Graph's `POST /groups` body; a refusal shows the server's detail.
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
  MessageBarTitle,
  makeStyles,
  Textarea,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText } from "../api/client.js";
import { KeptDialog } from "../components/kept-dialog.js";
import { groupTexts as texts } from "./group-texts.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

interface CreateGroupProps {
  readonly api: ApiClient;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

/** Stays mounted (unmounting an open Fluent dialog leaves the page aria-hidden); the form mounts afresh at each opening. */
export function CreateGroupDialog(props: CreateGroupProps & { readonly open: boolean }) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <CreateGroupForm {...props} />
    </KeptDialog>
  );
}

/** A mail nickname from a name: its letters and digits (Graph's mailNickname takes no spaces). */
const nicknameOf = (name: string): string => name.normalize("NFKD").replace(/[^A-Za-z0-9]/g, "");

function CreateGroupForm(props: CreateGroupProps) {
  const { api } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState("");
  const [nickname, setNickname] = useState<string>();
  const [description, setDescription] = useState("");
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const mailNickname = nickname ?? nicknameOf(displayName);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/groups", {
      body: {
        displayName: displayName.trim(),
        mailNickname,
        securityEnabled: true,
        mailEnabled: false,
        ...(description.trim() ? { description: description.trim() } : {}),
      },
    });
    setBusy(false);
    if (!data) return setRefusal(refusalText(error, response));
    props.onDone(texts.created(data.displayName));
  };

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("groups.createGroup")}</DialogTitle>
        <DialogContent className={styles.form}>
          <Field label={t("groups.columnName")} required>
            <Input value={displayName} onChange={(_, data) => setDisplayName(data.value)} />
          </Field>
          <Field label={t("groups.mailNickname")} required hint={t("groups.mailNicknameHint")}>
            <Input value={mailNickname} onChange={(_, data) => setNickname(data.value)} />
          </Field>
          <Field label={t("groups.columnDescription")}>
            <Textarea value={description} onChange={(_, data) => setDescription(data.value)} />
          </Field>
          {refusal && (
            <MessageBar intent="error" role="alert">
              <MessageBarBody>
                <MessageBarTitle>{t("groups.notCreated")}</MessageBarTitle>
                {refusal}
              </MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions>
          <Button type="submit" appearance="primary" disabled={busy || !displayName.trim() || !mailNickname}>
            {t("groups.create")}
          </Button>
          <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
