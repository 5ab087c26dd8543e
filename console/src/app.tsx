// The console's frame: sign-in until there is a session, then the banner, the navigation and the
// page of the current path. One page today (Licenses); Users, Bulk and the product page come next.
import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import { useCallback, useMemo, useState } from "react";
import { type ApiClient, createApiClient } from "./api/client.js";
import { forgetSession, keepSession, type Session, storedSession } from "./auth/session.js";
import { SignInDialog } from "./auth/sign-in-dialog.js";
import { LicensesPage } from "./pages/licenses-page.js";

const useStyles = makeStyles({
  banner: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
  },
  product: { fontWeight: tokens.fontWeightSemibold, flexGrow: 1 },
  who: { color: tokens.colorNeutralForegroundOnBrand },
  body: { display: "flex", minHeight: "calc(100vh - 48px)" },
  nav: {
    width: "200px",
    padding: tokens.spacingVerticalM,
    backgroundColor: tokens.colorNeutralBackground2,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  navList: { listStyle: "none", margin: 0, padding: 0 },
  navLink: {
    display: "block",
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground1,
    textDecoration: "none",
    fontWeight: tokens.fontWeightSemibold,
    backgroundColor: tokens.colorNeutralBackground1Selected,
  },
  main: { flexGrow: 1, padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}` },
});

export function App() {
  const styles = useStyles();
  const [session, setSession] = useState<Session | undefined>(storedSession);
  const [signInNote, setSignInNote] = useState<string>();

  const signIn = useCallback((next: Session) => {
    keepSession(next);
    setSignInNote(undefined);
    setSession(next);
  }, []);
  const signOut = useCallback((note?: string) => {
    forgetSession();
    setSignInNote(note);
    setSession(undefined);
  }, []);

  const api: ApiClient | undefined = useMemo(
    () =>
      session &&
      createApiClient({
        token: () => session.token,
        onUnauthorized: () => signOut("The service did not accept that token (401): sign in again."),
      }),
    [session, signOut],
  );

  // One tree whether signed in or not: the sign-in dialog must close, not unmount (see SignInDialog).
  return (
    <>
      <SignInDialog open={!session} onSignIn={signIn} note={signInNote} />
      {session && api && (
        <>
          <header className={styles.banner}>
            <Text className={styles.product} size={400}>
              Microsoft 365 admin center
            </Text>
            <Text className={styles.who}>
              {session.roles.join(", ") || "no administrator role"}
              {session.tenantId ? ` · tenant ${session.tenantId}` : ""}
            </Text>
            <Button appearance="primary" onClick={() => signOut()}>
              Sign out
            </Button>
          </header>
          <div className={styles.body}>
            <nav className={styles.nav} aria-label="Admin center">
              <ul className={styles.navList}>
                <li>
                  <a className={styles.navLink} href="/licenses" aria-current="page">
                    Licenses
                  </a>
                </li>
              </ul>
            </nav>
            <main className={styles.main}>
              <LicensesPage api={api} session={session} />
            </main>
          </div>
        </>
      )}
    </>
  );
}
