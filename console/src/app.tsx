// The console's frame: sign-in until there is a session, then the banner, the navigation and the
// page of the current path (wouter, on the browser's history: the app's catch-all function serves
// index.html for every page path). Each page is one entry of `pages`.
import {
  Button,
  DrawerBody,
  DrawerHeader,
  DrawerHeaderTitle,
  makeStyles,
  OverlayDrawer,
  Select,
  Text,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { Fragment, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Redirect, Route, Switch, useLocation, useRoute } from "wouter";
import { type ApiClient, createApiClient, type RequestFailure } from "./api/client.js";
import { forgetSession, keepSession, type Session, storedSession } from "./auth/session.js";
import { SessionExpiry } from "./auth/session-expiry.js";
import { SignIn } from "./auth/sign-in.js";
import { phoneWidth, usePhoneWidth } from "./components/phone-width.js";
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
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    [`@media ${phoneWidth}`]: {
      flexWrap: "nowrap",
      gap: tokens.spacingHorizontalS,
      padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    },
  },
  // On a phone the name gives way (cut short, whole in its title) to the menu and Sign out.
  product: {
    fontWeight: tokens.fontWeightSemibold,
    flexGrow: 1,
    minWidth: 0,
    overflow: "hidden",
    textOverflow: "ellipsis",
    whiteSpace: "nowrap",
  },
  who: { color: tokens.colorNeutralForegroundOnBrand, overflowWrap: "anywhere" },
  language: { minWidth: "150px" },
  body: { display: "flex", minHeight: "calc(100vh - 48px)" },
  nav: {
    width: "200px",
    flexShrink: 0,
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
  // minWidth 0: a flex item is otherwise as wide as its widest content, and the page scrolls sideways.
  main: {
    flexGrow: 1,
    minWidth: 0,
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXXL}`,
    [`@media ${phoneWidth}`]: { padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}` },
  },
  menuIcon: { width: "20px", height: "20px", fill: "currentColor" },
  drawerBody: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalL },
  account: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `1px solid ${tokens.colorNeutralStroke2}`,
    overflowWrap: "anywhere",
  },
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
  const { reportUnreachable, reportAnswer, generation } = useServiceStatus();
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

  const organization = useOrganizationName(api, session && (session.tenantId ?? ""), generation);
  // At phone width the navigation, the organization, the roles and the language are in a drawer
  // opened from the banner's Menu button, which has focus again when the drawer closes.
  const phone = usePhoneWidth();
  const [menuOpen, setMenuOpen] = useState(false);
  const restoreFocusTarget = useRestoreFocusTarget();
  const [location] = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page closes the drawer
  useEffect(() => setMenuOpen(false), [location]);

  const roles = session && (session.roles.map((role) => t(`roles.${role}`)).join(", ") || t("app.noRole"));
  const navigation = (
    <nav className={phone ? undefined : styles.nav} aria-label={t("app.navigation")}>
      <ul className={styles.navList}>
        {pages.flatMap((page) =>
          page.label ? [<NavEntry key={page.path} page={page} styles={styles} />] : [],
        )}
      </ul>
    </nav>
  );

  // One tree whether signed in or not: the sign-in dialog must close, not unmount (see SignInDialog).
  return (
    <>
      <SignIn open={!session || reauth !== undefined} onSignIn={signIn} note={reauthNote(reauth)} />
      {session && (
        // Another organization's token starts the pages afresh.
        <Fragment key={session.tenantId}>
          <header className={styles.banner}>
            {phone && (
              <Button
                appearance="primary"
                icon={<MenuIcon className={styles.menuIcon} />}
                aria-haspopup="dialog"
                aria-expanded={menuOpen}
                onClick={() => setMenuOpen(true)}
                {...restoreFocusTarget}
              >
                {t("phone.menu")}
              </Button>
            )}
            <Text className={styles.product} size={400} title={t("app.productName")}>
              {t("app.productName")}
            </Text>
            {!phone && (
              <>
                <Text weight="semibold" className={styles.who}>
                  {organization ?? t("app.organizationFallback")}
                </Text>
                <Text className={styles.who}>{roles}</Text>
                <LanguageSwitcher className={styles.language} />
              </>
            )}
            {/* An Entra ID session signs out at Entra ID too, which leaves the page. */}
            <Button appearance="primary" onClick={() => (session.end ? void session.end() : signOut())}>
              {t("app.signOut")}
            </Button>
          </header>
          {/* Mounted at every width: an open Fluent dialog unmounted would leave the page aria-hidden. */}
          <OverlayDrawer
            open={phone && menuOpen}
            onOpenChange={(_, data) => setMenuOpen(data.open)}
            position="start"
          >
            <DrawerHeader>
              <DrawerHeaderTitle
                action={
                  <Button appearance="subtle" onClick={() => setMenuOpen(false)}>
                    {t("common.close")}
                  </Button>
                }
              >
                {t("phone.menu")}
              </DrawerHeaderTitle>
            </DrawerHeader>
            <DrawerBody className={styles.drawerBody}>
              {navigation}
              <section className={styles.account} aria-label={t("phone.account")}>
                <Text weight="semibold">{organization ?? t("app.organizationFallback")}</Text>
                <Text>{roles}</Text>
                <LanguageSwitcher className={styles.language} />
              </section>
            </DrawerBody>
          </OverlayDrawer>
          <div className={styles.body}>
            {!phone && navigation}
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

/**
 * The organization's name (GET /api/organization), never the tenant's id; undefined until it is known.
 * Read again for each organization signed in to, and when the service is back after a failed read.
 */
function useOrganizationName(
  api: ApiClient,
  tenantId: string | undefined,
  generation: number,
): string | undefined {
  const [name, setName] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a sign-in and the service's return read it again
  useEffect(() => {
    if (tenantId === undefined) return setName(undefined);
    let live = true;
    void api
      .GET("/api/organization")
      .then(({ data }) => live && setName(data?.value[0]?.displayName ?? undefined))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, tenantId, generation]);
  return name;
}

/** Three lines: the menu's usual sign (Fluent's own icons are not among the console's packages). */
function MenuIcon(props: { readonly className: string }) {
  return (
    <svg className={props.className} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M2 4.5h16v1.5H2zM2 9.25h16v1.5H2zM2 14h16v1.5H2z" />
    </svg>
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
