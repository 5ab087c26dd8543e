// Local sign-in: paste a bearer token (`npm run token` prints one). It is kept in sessionStorage only.
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
  makeStyles,
  Text,
  Textarea,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import { type Session, sessionOf } from "./session.js";

const tokenCommand = "npm run -s token -- --role GlobalAdministrator";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  command: {
    display: "block",
    padding: tokens.spacingVerticalS,
    fontFamily: tokens.fontFamilyMonospace,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    overflowX: "auto",
  },
});

/**
 * Open while `open`; it stays mounted, since unmounting an open Fluent dialog leaves the page behind
 * it aria-hidden.
 */
export function SignInDialog(props: {
  open: boolean;
  onSignIn: (session: Session) => void;
  note: string | undefined;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string>();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const session = sessionOf(text);
    if ("problem" in session) setProblem(session.problem);
    else {
      setText("");
      props.onSignIn(session);
    }
  };

  return (
    <Dialog open={props.open} modalType="alert">
      <DialogSurface aria-describedby="sign-in-how">
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{t("signIn.title")}</DialogTitle>
            <DialogContent className={styles.form}>
              {props.note && (
                <MessageBar intent="warning">
                  <MessageBarBody>{props.note}</MessageBarBody>
                </MessageBar>
              )}
              <Text id="sign-in-how">
                <Trans
                  i18nKey="signIn.pasteHow"
                  values={{ tenantOption: "--tenant <id>", roleOption: "--role BillingAdministrator" }}
                  components={{ tenant: <code />, role: <code /> }}
                />
              </Text>
              <code className={styles.command}>{tokenCommand}</code>
              <Field
                label={t("signIn.token")}
                required
                validationState={problem ? "error" : "none"}
                validationMessage={problem ?? null}
              >
                <Textarea
                  value={text}
                  onChange={(_, data) => {
                    setText(data.value);
                    setProblem(undefined);
                  }}
                  resize="vertical"
                  rows={4}
                />
              </Field>
              <Text size={200}>{t("signIn.tokenKept")}</Text>
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={text.trim() === ""}>
                {t("signIn.signIn")}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
