// The console's frame: sign-in until there is a session, then the banner, the navigation and the
// page of the current path (wouter, on the browser's history: the app's catch-all function serves
// index.html for every page path). Each page is one entry of `pages`.
import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { Link, Redirect, Route, Switch, useRoute } from "wouter";
import { type ApiClient, createApiClient } from "./api/client.js";
import { forgetSession, keepSession, type Session, storedSession } from "./auth/session.js";
import { SignIn } from "./auth/sign-in.js";
import { BulkPage } from "./pages/bulk-page.js";
import { GroupPage } from "./pages/group-page.js";
import { GroupsPage } from "./pages/groups-page.js";
import { LicensesPage } from "./pages/licenses-page.js";
import { ProductPage } from "./pages/product-page.js";
import { SubscriptionsPage } from "./pages/subscriptions-page.js";
import { UsersPage } from "./pages/users-page.js";

/** What every page is given. */
export interface PageProps {
  readonly api: ApiClient;
  readonly session: Session;
}

interface Page {
  /** The path pattern (wouter's: `:name` parameters), under the console's root. */
  readonly path: string;
  /** The navigation's label; pages without one (a product, a user) are reached from another page. */
  readonly label?: string;
  /** The page also takes the paths under its own, as a nested route (the Users page's `/users/:id`). */
  readonly nest?: boolean;
  readonly render: (props: PageProps) => ReactNode;
}

/** The console's pages, in navigation order. */
const pages: readonly Page[] = [
  { path: "/licenses", label: "Licenses", render: (props) => <LicensesPage {...props} /> },
  { path: "/licenses/:skuId/subscriptions", render: (props) => <SubscriptionsPage {...props} /> },
  { path: "/licenses/:skuId", render: (props) => <ProductPage {...props} /> },
  { path: "/users", label: "Users", nest: true, render: (props) => <UsersPage {...props} /> },
  { path: "/groups", label: "Groups", render: (props) => <GroupsPage {...props} /> },
  { path: "/groups/:id", render: (props) => <GroupPage {...props} /> },
  { path: "/bulk", label: "Bulk", render: (props) => <BulkPage {...props} /> },
];

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
    ":hover": { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  current: {
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
        token: () => session.freshToken?.() ?? session.token,
        onUnauthorized: () => signOut("The service did not accept that token (401): sign in again."),
      }),
    [session, signOut],
  );

  // One tree whether signed in or not: the sign-in dialog must close, not unmount (see SignInDialog).
  return (
    <>
      <SignIn open={!session} onSignIn={signIn} note={signInNote} />
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
            {/* An Entra ID session signs out at Entra ID too, which leaves the page. */}
            <Button appearance="primary" onClick={() => (session.end ? void session.end() : signOut())}>
              Sign out
            </Button>
          </header>
          <div className={styles.body}>
            <nav className={styles.nav} aria-label="Admin center">
              <ul className={styles.navList}>
                {pages.flatMap((page) =>
                  page.label ? [<NavEntry key={page.path} page={page} styles={styles} />] : [],
                )}
              </ul>
            </nav>
            <main className={styles.main}>
              <Switch>
                {pages.map((page) => (
                  <Route key={page.path} path={page.path} nest={page.nest === true}>
                    {page.render({ api, session })}
                  </Route>
                ))}
                <Route>
                  <Redirect to="/licenses" replace />
                </Route>
              </Switch>
            </main>
          </div>
        </>
      )}
    </>
  );
}

/** A navigation link, marked current on its own page and on the pages under it (`/licenses/...`). */
function NavEntry(props: { readonly page: Page; readonly styles: Record<"navLink" | "current", string> }) {
  const { page, styles } = props;
  const [onPage] = useRoute(page.path);
  const [inSection] = useRoute(`${page.path}/*`);
  const current = onPage || inSection;
  return (
    <li>
      <Link
        href={page.path}
        className={current ? `${styles.navLink} ${styles.current}` : styles.navLink}
        aria-current={current ? "page" : undefined}
      >
        {page.label}
      </Link>
    </li>
  );
}
