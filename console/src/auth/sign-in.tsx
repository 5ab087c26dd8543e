// Sign-in as the app is configured (GET /api/console/config): with the CONSOLE_* settings, Microsoft
// Entra ID through MSAL (./entra.ts); without them (locally), the pasted-token dialog.
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Spinner,
  Text,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { consoleConfig } from "../api/console-config.js";
import { type EntraSettings, type EntraSignIn, entraSignIn } from "./entra.js";
import type { Session } from "./session.js";
import { SignInDialog } from "./sign-in-dialog.js";

type Mode =
  | { readonly kind: "loading" }
  | { readonly kind: "token" }
  | { readonly kind: "entra"; readonly settings: EntraSettings };

export interface SignInProps {
  readonly open: boolean;
  readonly onSignIn: (session: Session) => void;
  readonly note: string | undefined;
}

export function SignIn(props: SignInProps) {
  const [mode, setMode] = useState<Mode>({ kind: "loading" });

  useEffect(() => {
    // An app without the route (or unreachable) keeps the local sign-in: it needs no settings.
    void consoleConfig().then((config) =>
      setMode(config?.signIn === "entra" ? { kind: "entra", settings: config } : { kind: "token" }),
    );
  }, []);

  if (mode.kind === "loading") return null;
  if (mode.kind === "token") return <SignInDialog {...props} />;
  return <EntraSignInDialog {...props} settings={mode.settings} />;
}

/** Open while `open`; stays mounted, like SignInDialog, so that closing it leaves no aria-hidden page. */
function EntraSignInDialog(props: SignInProps & { readonly settings: EntraSettings }) {
  const { open, onSignIn, note, settings } = props;
  const { t } = useTranslation();
  const entra = useRef<Promise<EntraSignIn>>(undefined);
  const [state, setState] = useState<"resuming" | "ready" | "leaving">("resuming");
  const [problem, setProblem] = useState<string>();

  useEffect(() => {
    if (!open) return;
    let current = true;
    entra.current ??= entraSignIn(settings);
    // Back from Entra ID, or an account MSAL still holds; not after the API refused a token, which
    // would only be refused again: then the person signs in anew.
    void entra.current
      .then((signIn) => signIn.resume({ useCachedAccount: note === undefined }))
      .then((session) => {
        if (!current) return;
        if (session) onSignIn(session);
        else setState("ready");
      })
      .catch((error: unknown) => {
        if (!current) return;
        setProblem(
          t("signIn.entraFailed", { message: error instanceof Error ? error.message : String(error) }),
        );
        setState("ready");
      });
    return () => {
      current = false;
    };
  }, [open, note, settings, onSignIn, t]);

  const signIn = async () => {
    setState("leaving");
    setProblem(undefined);
    try {
      entra.current ??= entraSignIn(settings);
      await (await entra.current).signIn();
    } catch (error) {
      setProblem(
        t("signIn.entraFailed", { message: error instanceof Error ? error.message : String(error) }),
      );
      setState("ready");
    }
  };

  return (
    <Dialog open={open} modalType="alert">
      <DialogSurface aria-describedby="entra-sign-in-how">
        <DialogBody>
          <DialogTitle>{t("signIn.title")}</DialogTitle>
          <DialogContent>
            {note && (
              <MessageBar intent="warning">
                <MessageBarBody>{note}</MessageBarBody>
              </MessageBar>
            )}
            {problem && (
              <MessageBar intent="error">
                <MessageBarBody>{problem}</MessageBarBody>
              </MessageBar>
            )}
            <Text as="p" id="entra-sign-in-how">
              {t("signIn.entraHow")}
            </Text>
            {state !== "ready" && (
              <Spinner
                size="tiny"
                label={state === "resuming" ? t("signIn.checking") : t("signIn.leaving")}
              />
            )}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" disabled={state !== "ready"} onClick={() => void signIn()}>
              {t("signIn.withMicrosoft")}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
