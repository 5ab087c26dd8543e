// The console's frame: sign-in until there is a session, then the banner, the navigation and the
// page of the current path (wouter, on the browser's history: the app's catch-all function serves
// index.html for every page path). Each page is one entry of `pages`.
import { Button, makeStyles, Select, Text, tokens } from "@fluentui/react-components";
import { Fragment, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Redirect, Route, Switch, useRoute } from "wouter";
import { type ApiClient, createApiClient, type RequestFailure } from "./api/client.js";
import { forgetSession, keepSession, type Session, storedSession } from "./auth/session.js";
import { SessionExpiry } from "./auth/session-expiry.js";
import { SignIn } from "./auth/sign-in.js";
import { ServiceStatusAlert, ServiceStatusProvider, useServiceStatus } from "./components/service-status.js";
import { formatTime } from "./i18n/format.js";
import {
  chooseLanguage,
  currentLanguage,
  i18next,
  type Language,
  languageNames,
  languages,
} from "./i18n/index.js";
import { BulkPage } from "./pages/bulk-page.js";
import { GroupPage } from "./pages/group-page.js";
import { GroupsPage } from "./pages/groups-page.js";
import { JobPage, JobsPage } from "./pages/jobs-page.js";
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
  /** The navigation's label (a catalog key); pages without one (a product, a user) are reached from another page. */
  readonly label?: "app.navLicenses" | "app.navUsers" | "app.navGroups" | "app.navBulk" | "app.navJobs";
  /** The page also takes the paths under its own, as a nested route (the Users page's `/users/:id`). */
  readonly nest?: boolean;
  readonly render: (props: PageProps) => ReactNode;
}

/** The console's pages, in navigation order. */
const pages: readonly Page[] = [
  { path: "/licenses", label: "app.navLicenses", render: (props) => <LicensesPage {...props} /> },
  { path: "/licenses/:skuId/subscriptions", render: (props) => <SubscriptionsPage {...props} /> },
  { path: "/licenses/:skuId", render: (props) => <ProductPage {...props} /> },
  { path: "/users", label: "app.navUsers", nest: true, render: (props) => <UsersPage {...props} /> },
  { path: "/groups", label: "app.navGroups", render: (props) => <GroupsPage {...props} /> },
  { path: "/groups/:id", render: (props) => <GroupPage {...props} /> },
  { path: "/bulk", label: "app.navBulk", render: (props) => <BulkPage {...props} /> },
  { path: "/jobs", label: "app.navJobs", render: (props) => <JobsPage {...props} /> },
  { path: "/jobs/:id", render: (props) => <JobPage {...props} /> },
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
  language: { minWidth: "150px" },
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
  return (
    <ServiceStatusProvider>
      <Console />
    </ServiceStatusProvider>
  );
}

/** Why the sign-in dialog is open over the pages: a request refused for the token, or renewing it. */
type Reauth = RequestFailure | { readonly kind: "renew" };

function Console() {
  const styles = useStyles();
  const { t } = useTranslation();
  const { reportUnreachable, reportAnswer } = useServiceStatus();
  const [session, setSession] = useState<Session | undefined>(storedSession);
  // Set, the sign-in dialog opens over the pages, which stay mounted with their unsaved changes; the
  // new token then takes over in place (`current`), so nothing reloads.
  const [reauth, setReauth] = useState<Reauth>();
  const current = useRef(session);
  current.current = session;

  // Where the dialog opened from (Save, say): focus goes back there after signing in again, which
  // also gives a drawer the dialog opened over its accessibility back (tabster keeps hiding what lies
  // outside the newest modal until focus enters it).
  const openedFrom = useRef<HTMLElement>(undefined);
  const askToSignIn = useCallback((why: Reauth) => {
    if (!openedFrom.current && document.activeElement instanceof HTMLElement) {
      openedFrom.current = document.activeElement;
    }
    setReauth(why);
  }, []);
  useEffect(() => {
    const element = openedFrom.current;
    if (reauth !== undefined || !element) return;
    openedFrom.current = undefined;
    if (element.isConnected) element.focus();
  }, [reauth]);

  const signIn = useCallback((next: Session) => {
    keepSession(next);
    current.current = next;
    setReauth(undefined);
    setSession(next);
  }, []);
  const signOut = useCallback(() => {
    forgetSession();
    setReauth(undefined);
    setSession(undefined);
  }, []);

  // One client for the console's life, reading the session at each request.
  const api: ApiClient = useMemo(
    () =>
      createApiClient({
        token: () => current.current?.freshToken?.() ?? current.current?.token,
        // MSAL renews an Entra ID session's token by itself.
        expiresAt: () => (current.current?.kind === "entra" ? undefined : current.current?.expiresAt),
        onUnauthorized: askToSignIn,
        onUnreachable: reportUnreachable,
        onAnswer: reportAnswer,
      }),
    [askToSignIn, reportUnreachable, reportAnswer],
  );

  // One tree whether signed in or not: the sign-in dialog must close, not unmount (see SignInDialog).
  return (
    <>
      <SignIn open={!session || reauth !== undefined} onSignIn={signIn} note={reauthNote(reauth)} />
      {session && (
        // Another organization's token starts the pages afresh.
        <Fragment key={session.tenantId}>
          <header className={styles.banner}>
            <Text className={styles.product} size={400}>
              {t("app.productName")}
            </Text>
            <Organization api={api} className={styles.who} />
            <Text className={styles.who}>
              {session.roles.map((role) => t(`roles.${role}`)).join(", ") || t("app.noRole")}
            </Text>
            <LanguageSwitcher className={styles.language} />
            {/* An Entra ID session signs out at Entra ID too, which leaves the page. */}
            <Button appearance="primary" onClick={() => (session.end ? void session.end() : signOut())}>
              {t("app.signOut")}
            </Button>
          </header>
          <div className={styles.body}>
            <nav className={styles.nav} aria-label={t("app.navigation")}>
              <ul className={styles.navList}>
                {pages.flatMap((page) =>
                  page.label ? [<NavEntry key={page.path} page={page} styles={styles} />] : [],
                )}
              </ul>
            </nav>
            <main className={styles.main}>
              <ServiceStatusAlert />
              <SessionExpiry session={session} onSignInAgain={() => askToSignIn({ kind: "renew" })} />
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
        </Fragment>
      )}
    </>
  );
}

/** What the sign-in dialog says first when it opens over the pages. */
function reauthNote(reauth: Reauth | undefined): string | undefined {
  switch (reauth?.kind) {
    case undefined:
      return undefined;
    case "expired":
      return i18next.t("session.expiredNote", { at: formatTime(reauth.at) });
    case "renew":
      return i18next.t("session.renewNote");
    default:
      return i18next.t("app.tokenRefused");
  }
}

/** A navigation link, marked current on its own page and on the pages under it (`/licenses/...`). */
function NavEntry(props: { readonly page: Page; readonly styles: Record<"navLink" | "current", string> }) {
  const { page, styles } = props;
  const { t } = useTranslation();
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
        {page.label && t(page.label)}
      </Link>
    </li>
  );
}

/** The organization's name (GET /api/organization), never the tenant's id; a plain word until it is known. */
function Organization(props: { readonly api: ApiClient; readonly className: string }) {
  const { t } = useTranslation();
  const [name, setName] = useState<string | null>();
  useEffect(() => {
    void props.api
      .GET("/api/organization")
      .then(({ data }) => setName(data?.value[0]?.displayName ?? null))
      .catch(() => setName(null));
  }, [props.api]);
  return (
    <Text weight="semibold" className={props.className}>
      {name ?? t("app.organizationFallback")}
    </Text>
  );
}

/** The header's language switcher: each language named in itself, the choice kept in this browser. */
function LanguageSwitcher(props: { readonly className: string }) {
  const { t } = useTranslation();
  return (
    <Select
      className={props.className}
      aria-label={t("app.language")}
      value={currentLanguage()}
      onChange={(_, data) => chooseLanguage(data.value as Language)}
    >
      {languages.map((language) => (
        <option key={language} value={language} lang={language}>
          {languageNames[language]}
        </option>
      ))}
    </Select>
  );
}
