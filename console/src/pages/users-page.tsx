// "Users": search by name or user name, the filters unlicensed / guests / deleted (restore within the
// retention window, with the days left), pages followed by `@odata.nextLink`, "Add a user" with
// licenses in one step, and each user's panel ("Licenses and apps", mailbox, Office installs) at its
// own address, `/users/:id` (a route nested in this page's, so the list stays behind the drawer). The
// search and the filter are the address's query (`?search=…&filter=…`): a reload or Back keeps them.
import {
  Button,
  Field,
  Link,
  makeStyles,
  SearchBox,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouteLink, useLocation, useRoute, useSearch } from "wouter";
import { type ApiClient, refusalText, type User } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus, type PageLoad } from "../components/load-status.js";
import { skipTokenOf } from "../components/paged-list.js";
import { formatDate, productName } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { AddUserDialog } from "./add-user-dialog.js";
import { daysLeft, daysLeftText } from "./days-left.js";
import { closeGoesBack, isCloseGoesBack } from "./user-address.js";
import { UserPanel } from "./user-panel.js";

/** Users per page of each query; more come with "Show more users" (the API's `$top`). */
export const usersPageSize = 50;

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0` },
  toolbar: {
    display: "flex",
    alignItems: "flex-end",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalM,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  search: { minWidth: "320px" },
  more: { margin: `${tokens.spacingVerticalM} 0` },
  caption: { color: tokens.colorNeutralForeground3 },
});

export type UserFilter = "all" | "unlicensed" | "guests" | "deleted";

const filterLabels = {
  all: "users.all",
  unlicensed: "users.unlicensed",
  guests: "users.guests",
  deleted: "users.deleted",
} as const satisfies Record<UserFilter, string>;

const isFilter = (value: string | null): value is UserFilter =>
  value !== null && Object.hasOwn(filterLabels, value);

/** The list's search and filter as the address's query: `?search=…&filter=…`, "" for neither. */
export function listQuery(search: string, filter: UserFilter): string {
  const params = new URLSearchParams();
  if (search) params.set("search", search);
  if (filter !== "all") params.set("filter", filter);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The id in `/users/:id`, as the list's links encode it. */
const decodedId = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

interface Query {
  readonly $filter?: string;
  readonly licensed?: "false";
  readonly deleted?: "true";
}

/** OData string literal: a quote is doubled. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * The queries a search and a filter take. `$filter` has no `or`, so a search is two queries, by
 * display name and by user name, whose pages are merged.
 */
export function queriesFor(search: string, filter: UserFilter): Query[] {
  const guest = filter === "guests" ? "userType eq 'Guest'" : undefined;
  const own = {
    ...(filter === "unlicensed" ? { licensed: "false" as const } : {}),
    ...(filter === "deleted" ? { deleted: "true" as const } : {}),
  };
  const term = search.trim();
  const conditions = term
    ? [`startswith(displayName,${literal(term)})`, `startswith(userPrincipalName,${literal(term)})`]
    : [undefined];
  return conditions.map((condition) => {
    const parts = [condition, guest].filter((part): part is string => part !== undefined);
    return { ...own, ...(parts.length > 0 ? { $filter: parts.join(" and ") } : {}) };
  });
}

interface Cursor {
  readonly query: Query;
  /** The `skipToken` of the query's `@odata.nextLink`; undefined once it has no more. */
  readonly skipToken: string | undefined;
}

type Load = PageLoad<{ readonly users: readonly User[]; readonly cursors: readonly Cursor[] }>;

const licenseNames = (user: User): string =>
  user.assignedLicenses.length === 0
    ? i18next.t("users.noLicense")
    : user.assignedLicenses.map((license) => productName(license.skuId)).join(", ");

export function UsersPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  // Paths relative to this page's nested route: "/" is the list, "/<id>" a user's panel over it.
  const [location, navigate] = useLocation();
  const [, userRoute] = useRoute<{ id: string }>("/:id");
  const openedId = userRoute ? decodedId(userRoute.id) : undefined;
  // useSearch re-renders on a change of the query; it is read raw, as wouter decodes %-escapes once more.
  useSearch();
  const addressQuery = new URLSearchParams(window.location.search);
  const search = addressQuery.get("search") ?? "";
  const filterParam = addressQuery.get("filter");
  const filter: UserFilter = isFilter(filterParam) ? filterParam : "all";
  const query = listQuery(search, filter);
  // A new search or filter replaces the address's query: Back does not step through each keystroke.
  const showList = (nextSearch: string, nextFilter: UserFilter) =>
    navigate(`~/users${location === "/" ? "" : location}${listQuery(nextSearch, nextFilter)}`, {
      replace: true,
    });
  const closePanel = () => {
    if (isCloseGoesBack(window.history.state)) window.history.back();
    else navigate(`~/users${query}`, { replace: true });
  };
  const [load, setLoad] = useState<Load>({ state: "loading" });
  const [notice, setNotice] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const restoreFocusTarget = useRestoreFocusTarget();
  // Only the newest search's answers count: typing fast must not let an older answer win.
  const generation = useRef(0);

  /** One page of each cursor's query, merged (a user found by both name and user name once). */
  const fetchPages = useCallback(
    async (cursors: readonly Cursor[]) => {
      const answers = await Promise.all(
        cursors.map(async (cursor) => {
          const { data, error, response } = await api.GET("/api/users", {
            params: {
              query: {
                ...cursor.query,
                $top: usersPageSize,
                ...(cursor.skipToken ? { skipToken: cursor.skipToken } : {}),
              },
            },
          });
          if (!data) return { failed: refusalText(error, response) } as const;
          const users = data.value.filter((user): user is User => user.assignedLicenses !== undefined);
          return { users, next: { query: cursor.query, skipToken: skipTokenOf(data["@odata.nextLink"]) } };
        }),
      );
      const failed = answers.find((answer) => "failed" in answer);
      if (failed && "failed" in failed) return { failed: failed.failed } as const;
      const users = answers.flatMap((answer) => ("users" in answer ? answer.users : []));
      const cursorsAfter = answers.flatMap((answer) => ("next" in answer ? [answer.next] : []));
      return { users, cursors: cursorsAfter.filter((cursor) => cursor.skipToken !== undefined) } as const;
    },
    [api],
  );

  // `quietly`: the rows stay until the new ones come, so the row the user panel opened from keeps focus.
  const reload = useCallback(
    async (quietly?: boolean) => {
      const mine = ++generation.current;
      if (!quietly) setLoad({ state: "loading" });
      const cursors = queriesFor(search, filter).map((query) => ({ query, skipToken: undefined }));
      const answer = await fetchPages(cursors);
      if (mine !== generation.current) return;
      if ("failed" in answer) setLoad({ state: "failed", message: answer.failed ?? "" });
      else setLoad({ state: "loaded", users: unique(answer.users), cursors: answer.cursors });
    },
    [fetchPages, search, filter],
  );

  useEffect(() => {
    // A short pause while typing, so each keystroke does not send a query.
    const timer = setTimeout(() => void reload(), search ? 250 : 0);
    return () => clearTimeout(timer);
  }, [reload, search]);

  const showMore = async () => {
    if (load.state !== "loaded") return;
    const mine = generation.current;
    setLoadingMore(true);
    const answer = await fetchPages(load.cursors);
    setLoadingMore(false);
    if (mine !== generation.current) return;
    if ("failed" in answer) return setRefusal(answer.failed);
    setLoad({ state: "loaded", users: unique([...load.users, ...answer.users]), cursors: answer.cursors });
    // The button goes with the last page: focus moves to the line that says so, not to <body>.
    if (answer.cursors.length === 0) setFocusAllShown(true);
  };
  const allShownRef = useRef<HTMLDivElement>(null);
  const [focusAllShown, setFocusAllShown] = useState(false);
  useEffect(() => {
    if (!focusAllShown) return;
    allShownRef.current?.focus();
    setFocusAllShown(false);
  }, [focusAllShown]);

  const restore = async (user: User) => {
    setRefusal(undefined);
    setNotice(undefined);
    const { data, error, response } = await api.POST("/api/users/{id}/restore", {
      params: { path: { id: user.id } },
    });
    if (!data) return setRefusal(refusalText(error, response));
    setNotice(t("users.restored", { name: user.displayName }));
    void reload();
  };

  const deleted = filter === "deleted";
  const canRestore = deleted && session.can("deleteUsers");

  return (
    <>
      <Title1 as="h1" className={styles.title}>
        {t("users.title")}
      </Title1>
      <div className={styles.toolbar}>
        {session.can("manageUsers") && (
          <Button appearance="primary" onClick={() => setAdding(true)} {...restoreFocusTarget}>
            {t("users.add")}
          </Button>
        )}
        <SearchBox
          className={styles.search}
          aria-label={t("users.searchLabel")}
          placeholder={t("users.searchPlaceholder")}
          value={search}
          onChange={(_, data) => showList(data.value, filter)}
        />
        <Field label={t("users.filter")}>
          <Select
            value={filter}
            onChange={(_, data) => showList(search, isFilter(data.value) ? data.value : "all")}
          >
            {Object.entries(filterLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {t(label)}
              </option>
            ))}
          </Select>
        </Field>
        <Button onClick={() => void reload()}>{t("common.refresh")}</Button>
      </div>
      <LoadStatus
        load={load}
        loading={t("users.loading")}
        notice={notice}
        refusal={refusal}
        onRetry={reload}
      />
      {load.state === "loaded" && load.users.length === 0 && (
        <Text as="p">{search.trim() ? t("users.noMatch", { search: search.trim() }) : t("users.none")}</Text>
      )}
      {load.state === "loaded" && load.users.length > 0 && (
        <Table aria-label={t(filterLabels[filter])}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("users.displayName")}</TableHeaderCell>
              <TableHeaderCell>{t("users.userName")}</TableHeaderCell>
              <TableHeaderCell>{deleted ? t("users.deletedOn") : t("users.licenses")}</TableHeaderCell>
              {deleted && <TableHeaderCell>{t("users.restoreWithin")}</TableHeaderCell>}
              {canRestore && <TableHeaderCell>{t("users.actions")}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {load.users.map((user) => (
              <TableRow key={user.id}>
                <TableCell>
                  {deleted ? (
                    user.displayName
                  ) : (
                    <RouteLink href={`/${encodeURIComponent(user.id)}${query}`} state={closeGoesBack} asChild>
                      <Link {...restoreFocusTarget}>{user.displayName}</Link>
                    </RouteLink>
                  )}
                  {user.userType === "Guest" && (
                    <Text size={200} className={styles.caption}>
                      {" "}
                      {t("users.guest")}
                    </Text>
                  )}
                </TableCell>
                <TableCell>{user.userPrincipalName}</TableCell>
                <TableCell>
                  {deleted ? user.deletedDateTime && formatDate(user.deletedDateTime) : licenseNames(user)}
                </TableCell>
                {deleted && (
                  <TableCell>{user.retainedUntil && daysLeftText(daysLeft(user.retainedUntil))}</TableCell>
                )}
                {canRestore && (
                  <TableCell>
                    <Button
                      aria-label={t("users.restoreLabel", { name: user.displayName })}
                      onClick={() => void restore(user)}
                    >
                      {t("users.restore")}
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {load.state === "loaded" && load.cursors.length > 0 && (
        <Button className={styles.more} disabledFocusable={loadingMore} onClick={() => void showMore()}>
          {t("users.showMore")}
        </Button>
      )}
      {load.state === "loaded" && load.cursors.length === 0 && load.users.length > 0 && (
        <div ref={allShownRef} tabIndex={-1} role="status" className={styles.more}>
          <Text size={200}>{t("users.allShown", { count: load.users.length })}</Text>
        </div>
      )}
      <AddUserDialog
        open={adding}
        api={api}
        session={session}
        onDone={(message) => {
          setAdding(false);
          setNotice(message);
          void reload();
        }}
        onCancel={() => setAdding(false)}
      />
      <UserPanel
        api={api}
        session={session}
        userId={openedId}
        onClose={closePanel}
        onChanged={() => void reload(true)}
      />
    </>
  );
}

function unique(users: readonly User[]): User[] {
  const seen = new Set<string>();
  return users.filter((user) => !seen.has(user.id) && seen.add(user.id) !== undefined);
}
