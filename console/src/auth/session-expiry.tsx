// The warning that a pasted token's session ends soon (`warnBeforeMs` before its `exp`), and that it
// has ended, each with "Sign in again", which opens the sign-in dialog over the page. An Entra ID
// session gets none: MSAL renews its token before each request.
import { Button, MessageBar, MessageBarActions, MessageBarBody } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatTime } from "../i18n/format.js";
import type { Session } from "./session.js";

/** How long before its token's `exp` the console warns that the session ends. */
export const warnBeforeMs = 5 * 60_000;

/** setTimeout's longest delay; a longer one would fire at once. */
const longestDelayMs = 2 ** 31 - 1;

export function SessionExpiry(props: { readonly session: Session; readonly onSignInAgain: () => void }) {
  const { t } = useTranslation();
  const { kind } = props.session;
  const expiresAt = props.session.expiresAt?.getTime();
  const [now, setNow] = useState(() => Date.now());

  // Wakes when the warning is due, then when the session ends.
  useEffect(() => {
    if (expiresAt === undefined || kind === "entra") return;
    const next = [expiresAt - warnBeforeMs, expiresAt].find((moment) => moment > now);
    if (next === undefined) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.min(next - Date.now(), longestDelayMs));
    return () => clearTimeout(timer);
  }, [expiresAt, kind, now]);

  if (expiresAt === undefined || kind === "entra" || now < expiresAt - warnBeforeMs) return null;
  const ended = now >= expiresAt;
  const at = formatTime(new Date(expiresAt));
  return (
    <MessageBar intent={ended ? "error" : "warning"} role="alert" layout="multiline">
      <MessageBarBody>{ended ? t("session.ended", { at }) : t("session.endsSoon", { at })}</MessageBarBody>
      <MessageBarActions>
        <Button onClick={props.onSignInAgain}>{t("session.signInAgain")}</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
