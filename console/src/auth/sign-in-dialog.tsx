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
            <DialogTitle>Sign in to the admin console</DialogTitle>
            <DialogContent className={styles.form}>
              {props.note && (
                <MessageBar intent="warning">
                  <MessageBarBody>{props.note}</MessageBarBody>
                </MessageBar>
              )}
              <Text id="sign-in-how">
                Paste a bearer token. Running locally, this command prints one for the demo tenant (add{" "}
                <code>--tenant &lt;id&gt;</code> for another, <code>--role BillingAdministrator</code> for
                another role):
              </Text>
              <code className={styles.command}>{tokenCommand}</code>
              <Field
                label="Bearer token"
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
              <Text size={200}>
                The token stays in this tab's session storage and is gone when the tab closes.
              </Text>
            </DialogContent>
            <DialogActions>
              <Button type="submit" appearance="primary" disabled={text.trim() === ""}>
                Sign in
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
