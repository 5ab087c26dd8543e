// A dialog that asks before something is done for good (delete a user, a group): what will happen,
// the service's refusal in words if it says no (the dialog stays open), and the confirm and Cancel
// buttons. Stays mounted (unmounting an open Fluent dialog leaves the page aria-hidden); its content
// mounts afresh each time it opens, so an old refusal is never shown again.
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { KeptDialog } from "./kept-dialog.js";

const useStyles = makeStyles({
  content: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export interface ConfirmDialogProps {
  readonly open: boolean;
  readonly title: string;
  readonly confirmLabel: string;
  /** The heading of a refusal ("Not deleted"). */
  readonly refusalTitle: string;
  /** Does it: undefined when done (the caller closes the dialog), else the refusal in words. */
  readonly onConfirm: () => Promise<string | undefined>;
  readonly onCancel: () => void;
  /** What will happen. */
  readonly children: ReactNode;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <ConfirmForm {...props} />
    </KeptDialog>
  );
}

function ConfirmForm(props: ConfirmDialogProps) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);

  const confirm = async () => {
    setBusy(true);
    setRefusal(undefined);
    setRefusal(await props.onConfirm());
    setBusy(false);
  };

  return (
    <DialogBody>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent className={styles.content}>
        {props.children}
        {refusal && (
          <MessageBar intent="error" role="alert" layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>{props.refusalTitle}</MessageBarTitle>
              {refusal}
            </MessageBarBody>
          </MessageBar>
        )}
      </DialogContent>
      <DialogActions>
        <Button appearance="primary" disabledFocusable={busy} onClick={() => void confirm()}>
          {props.confirmLabel}
        </Button>
        <Button onClick={props.onCancel}>{t("common.cancel")}</Button>
      </DialogActions>
    </DialogBody>
  );
}
