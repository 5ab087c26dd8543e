// "Users": search by name or user name; the filters unlicensed / guests / license errors / deleted
// (restore within the retention window, with the days left) and a product; sorted by display name or
// user name either way (the column headers); pages followed by `@odata.nextLink`; users selected with
// checkboxes for "Manage product licenses" (one bulk job) or deletion; the list exported to CSV (all
// its pages); "Add a user"; and each user's panel at its own address, `/users/:id` (a route nested in
// this page's, so the list stays behind the drawer). The search, filter, product and sort are the
// address's query (`?search=…&filter=…&product=…&sort=…&dir=desc`): a reload or Back keeps them.
import {
  Button,
  Field,
  Link,
  makeStyles,
  ProgressBar,
  SearchBox,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  Text,
  Title1,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouteLink, useLocation, useRoute, useSearch } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku, type User } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { type DeleteOutcome, DeleteUsersDialog } from "../components/delete-users-dialog.js";
import { LoadStatus, type PageLoad, usePageLoad } from "../components/load-status.js";
import { ManageLicensesDialog } from "../components/manage-licenses-dialog.js";
import { namesText } from "../components/names-text.js";
import { skipTokenOf } from "../components/paged-list.js";
import { useStackedTable } from "../components/stacked-table.js";
import { formatDate, productName } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { AddUserDialog } from "./add-user-dialog.js";
import { daysLeft, daysLeftText } from "./days-left.js";
import { closeGoesBack, isCloseGoesBack } from "./user-address.js";
import { UserPanel } from "./user-panel.js";
import type { ExportProgress } from "./users-export.js";
import {
  type Cursor,
  compareUsers,
  cursorsFor,
  hasMore,
  type ListView,
  mergeReady,
  needsPage,
  pageRequest,
  type SortProperty,
  type UserFilter,
  type UserSort,
} from "./users-query.js";

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
  search: { minWidth: "min(320px, 100%)" },
  more: { margin: `${tokens.spacingVerticalM} 0` },
  caption: { color: tokens.colorNeutralForeground3 },
  exporting: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, maxWidth: "480px" },
});

const filterLabels = {
  all: "users.all",
  unlicensed: "users.unlicensed",
  guests: "users.guests",
  licenseErrors: "usersList.licenseErrors",
  deleted: "users.deleted",
} as const satisfies Record<UserFilter, string>;

const isFilter = (value: string | null): value is UserFilter =>
  value !== null && Object.hasOwn(filterLabels, value);

const isSortProperty = (value: string | null): value is SortProperty =>
  value === "displayName" || value === "userPrincipalName";

/** The view as the address's query: `?search=…&filter=…&product=…&sort=…&dir=desc`, "" for none. */
export function listQuery(view: ListView): string {
  const params = new URLSearchParams();
  if (view.search) params.set("search", view.search);
  if (view.filter !== "all") params.set("filter", view.filter);
  if (view.product) params.set("product", view.product);
  if (view.sort) {
    params.set("sort", view.sort.property);
    if (view.sort.direction === "desc") params.set("dir", "desc");
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The view the address's query names. */
function viewOf(query: URLSearchParams): ListView {
  const filter = query.get("filter");
  const product = query.get("product");
  const sort = query.get("sort");
  return {
    search: query.get("search") ?? "",
    filter: isFilter(filter) ? filter : "all",
    ...(product ? { product } : {}),
    ...(isSortProperty(sort)
      ? { sort: { property: sort, direction: query.get("dir") === "desc" ? "desc" : "asc" } as const }
      : {}),
  };
}

/** The id in `/users/:id`, as the list's links encode it. */
const decodedId = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

type Load = PageLoad<{ readonly users: readonly User[]; readonly cursors: readonly Cursor[] }>;

const licenseNames = (user: User): string =>
  user.assignedLicenses.length === 0
    ? i18next.t("users.noLicense")
    : user.assignedLicenses.map((license) => productName(license.skuId)).join(", ");

/** A header's sort: ascending first, then the other way at each click. */
const sortAfterClick = (sort: UserSort | undefined, property: SortProperty): UserSort => ({
  property,
  direction: sort?.property === property && sort.direction === "asc" ? "desc" : "asc",
});

const ariaSort = (sort: UserSort) => (sort.direction === "asc" ? "ascending" : "descending");

export function UsersPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  // Paths relative to this page's nested route: "/" is the list, "/<id>" a user's panel over it.
  const [location, navigate] = useLocation();
  const [, userRoute] = useRoute<{ id: string }>("/:id");
  const openedId = userRoute ? decodedId(userRoute.id) : undefined;
  // useSearch re-renders on a change of the query; it is read raw, as wouter decodes %-escapes once more.
  useSearch();
  const addressQuery = window.location.search;
  // One view object per address, so that what depends on it changes only when the address does.
  const view = useMemo(() => viewOf(new URLSearchParams(addressQuery)), [addressQuery]);
  const { search, filter, product, sort } = view;
  const query = listQuery(view);
  // A new view replaces the address's query: Back does not step through each keystroke.
  const showList = (change: {
    readonly search?: string;
    readonly filter?: UserFilter;
    readonly product?: string | undefined;
    readonly sort?: UserSort;
  }) => {
    const nextProduct = "product" in change ? change.product : product;
    const nextOrder = change.sort ?? sort;
    const next: ListView = {
      search: change.search ?? search,
      filter: change.filter ?? filter,
      ...(nextProduct ? { product: nextProduct } : {}),
      ...(nextOrder ? { sort: nextOrder } : {}),
    };
    navigate(`~/users${location === "/" ? "" : location}${listQuery(next)}`, { replace: true });
  };
  const closePanel = () => {
    if (isCloseGoesBack(window.history.state)) window.history.back();
    else navigate(`~/users${query}`, { replace: true });
  };
  // A failed Refresh keeps the rows, marked with their age (usePageLoad).
  const [load, setLoad] = usePageLoad<Load>();
  const [notice, setNotice] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [managing, setManaging] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [leavingTo, setLeavingTo] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const [products, setProducts] = useState<readonly SubscribedSku[]>([]);
  const [selected, setSelected] = useState<ReadonlyMap<string, User>>(new Map());
  const [exporting, setExporting] = useState<ExportProgress>();
  const restoreFocusTarget = useRestoreFocusTarget();
  // Only the newest view's answers count: typing fast must not let an older answer win.
  const generation = useRef(0);

  useEffect(() => {
    // The product filter's choices; without them the list still works, and the refusal says why.
    void api.GET("/api/subscribedSkus").then(({ data, error, response }) => {
      if (data) setProducts(data.value);
      else setRefusal(refusalText(error, response));
    });
  }, [api]);

  /**
   * The next users of the view in its order: a page of each query that needs one, merged; more pages
   * while none can be shown yet (another query may still have users that come first).
   */
  const fetchMore = useCallback(
    async (start: readonly Cursor[]) => {
      const compare = compareUsers(sort);
      let cursors = [...start];
      const shown: User[] = [];
      while (shown.length === 0 && cursors.some(needsPage)) {
        const answers = await Promise.all(
          cursors.map(async (cursor) => {
            if (!needsPage(cursor)) return cursor;
            const { data, error, response } = await api.GET("/api/users", {
              params: pageRequest(cursor.query, {
                ...(sort ? { sort } : {}),
                top: usersPageSize,
                ...(cursor.skipToken ? { skipToken: cursor.skipToken } : {}),
              }),
            });
            if (!data) return { failed: refusalText(error, response) };
            const users = data.value.filter((user): user is User => user.assignedLicenses !== undefined);
            return {
              ...cursor,
              started: true,
              skipToken: skipTokenOf(data["@odata.nextLink"]),
              pending: [...cursor.pending, ...users],
              last: users.at(-1) ?? cursor.last,
            } satisfies Cursor;
          }),
        );
        const failed = answers.find((answer) => "failed" in answer);
        if (failed && "failed" in failed) return { failed: failed.failed } as const;
        const merged = mergeReady(
          answers.flatMap((answer) => ("query" in answer ? [answer] : [])),
          compare,
        );
        shown.push(...merged.ready);
        cursors = merged.cursors;
      }
      return { users: shown, cursors } as const;
    },
    [api, sort],
  );

  // `quietly`: the rows stay until the new ones come, so the row the user panel opened from keeps focus.
  const reload = useCallback(
    async (quietly?: boolean) => {
      const mine = ++generation.current;
      if (!quietly) setLoad({ state: "loading" });
      const answer = await fetchMore(cursorsFor(view));
      if (mine !== generation.current) return;
      if ("failed" in answer) setLoad({ state: "failed", message: answer.failed ?? "" });
      else setLoad({ state: "loaded", users: unique(answer.users), cursors: answer.cursors });
    },
    [fetchMore, view, setLoad],
  );

  // A new view starts with nothing selected.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new view is the reason, not a value read
  useEffect(() => setSelected(new Map()), [view]);

  useEffect(() => {
    // A short pause while typing, so each keystroke does not send a query.
    const timer = setTimeout(() => void reload(), search ? 250 : 0);
    return () => clearTimeout(timer);
  }, [reload, search]);

  const showMore = async () => {
    if (load.state !== "loaded") return;
    const mine = generation.current;
    setLoadingMore(true);
    const answer = await fetchMore(load.cursors);
    setLoadingMore(false);
    if (mine !== generation.current) return;
    if ("failed" in answer) return setRefusal(answer.failed);
    setLoad({ state: "loaded", users: unique([...load.users, ...answer.users]), cursors: answer.cursors });
    // The button goes with the last page: focus moves to the line that says so, not to <body>.
    if (!hasMore(answer.cursors)) setFocusAllShown(true);
  };
  const allShownRef = useRef<HTMLDivElement>(null);
  const [focusAllShown, setFocusAllShown] = useState(false);
  useEffect(() => {
    if (!focusAllShown) return;
    allShownRef.current?.focus();
    setFocusAllShown(false);
  }, [focusAllShown]);

  // The Jobs page's link in the dialog: the dialog closes first (unmounted open, it would leave the
  // page aria-hidden), then the console goes there.
  useEffect(() => {
    if (!leavingTo || managing) return;
    navigate(leavingTo);
  }, [leavingTo, managing, navigate]);

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

  const exportCsv = async () => {
    setRefusal(undefined);
    setNotice(undefined);
    setExporting({ read: 0, total: 0 });
    // Loaded when first asked for: the first page's bundle stays within its budget.
    const [{ allUsersOf, usersCsv }, { datedFileName }, { downloadCsv }] = await Promise.all([
      import("./users-export.js"),
      import("../components/csv.js"),
      import("../components/download-file.js"),
    ]);
    const answer = await allUsersOf(api, view, setExporting);
    setExporting(undefined);
    if ("failed" in answer) return setRefusal(t("usersList.exportFailed", { reason: answer.failed }));
    const file = datedFileName(t("usersList.fileName"));
    downloadCsv(file, usersCsv(answer.users));
    setNotice(t("usersList.exported", { count: answer.users.length, file }));
  };

  const deleted = filter === "deleted";
  const canRestore = deleted && session.can("deleteUsers");
  const canManage = !deleted && session.can("assignLicenses");
  const canDelete = !deleted && session.can("deleteUsers");
  const selectable = canManage || canDelete;
  const rows = load.state === "loaded" ? load.users : [];
  // In the list's order, as the dialogs name them.
  const chosen = rows.filter((user) => selected.has(user.id));
  const allOnPage = rows.length > 0 && rows.every((user) => selected.has(user.id));
  const someOnPage = rows.some((user) => selected.has(user.id));

  const toggle = (user: User) =>
    setSelected((before) => {
      const next = new Map(before);
      if (next.has(user.id)) next.delete(user.id);
      else next.set(user.id, user);
      return next;
    });
  const toggleAll = () =>
    setSelected(allOnPage ? new Map() : new Map(rows.map((user) => [user.id, user] as const)));

  const afterDelete = (outcome: DeleteOutcome) => {
    setDeleting(false);
    setSelected(new Map());
    setNotice(
      outcome.deleted.length > 0 ? t("usersList.deleted", { users: namesText(outcome.deleted) }) : undefined,
    );
    setRefusal(
      outcome.failures.length > 0
        ? t("usersList.notDeleted", { failures: outcome.failures.join("; ") })
        : undefined,
    );
    void reload();
  };

  const sortHeader = (property: SortProperty, label: string) => (
    <TableHeaderCell
      scope="col"
      sortable
      {...(sort?.property === property ? { sortDirection: ariaSort(sort) } : {})}
      onClick={() => showList({ sort: sortAfterClick(sort, property) })}
    >
      {label}
    </TableHeaderCell>
  );

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
        {canManage && (
          <Button disabled={selected.size === 0} onClick={() => setManaging(true)} {...restoreFocusTarget}>
            {t("usersList.manageLicenses")}
          </Button>
        )}
        {canDelete && (
          <Button disabled={selected.size === 0} onClick={() => setDeleting(true)} {...restoreFocusTarget}>
            {t("usersList.deleteUsers")}
          </Button>
        )}
        <Button disabledFocusable={exporting !== undefined} onClick={() => void exportCsv()}>
          {t("usersList.export")}
        </Button>
        <Button onClick={() => void reload(load.state === "loaded")}>{t("common.refresh")}</Button>
      </div>
      <div className={styles.toolbar}>
        <SearchBox
          className={styles.search}
          aria-label={t("users.searchLabel")}
          placeholder={t("users.searchPlaceholder")}
          value={search}
          onChange={(_, data) => showList({ search: data.value })}
        />
        <Field label={t("users.filter")}>
          <Select
            value={filter}
            onChange={(_, data) => showList({ filter: isFilter(data.value) ? data.value : "all" })}
          >
            {Object.entries(filterLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {t(label)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t("usersList.product")}>
          <Select
            value={product ?? ""}
            onChange={(_, data) => showList({ product: data.value || undefined })}
          >
            <option value="">{t("usersList.allProducts")}</option>
            {products.map((sku) => (
              <option key={sku.skuId} value={sku.skuId}>
                {sku.displayName}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {exporting && (
        <div className={styles.exporting} role="status">
          <Text>{t("usersList.exporting", { read: exporting.read, total: exporting.total })}</Text>
          <ProgressBar
            aria-label={t("usersList.exportProgress")}
            {...(exporting.total === 0 ? {} : { value: exporting.read / exporting.total })}
          />
        </div>
      )}
      <LoadStatus
        load={load}
        loading={t("users.loading")}
        notice={notice}
        refusal={refusal}
        onRetry={() => void reload(load.state === "loaded")}
      />
      {selectable && selected.size > 0 && (
        <Text as="p" role="status">
          {t("usersList.selected", { count: selected.size })}
        </Text>
      )}
      {load.state === "loaded" && load.users.length === 0 && (
        <Text as="p">{search.trim() ? t("users.noMatch", { search: search.trim() }) : t("users.none")}</Text>
      )}
      {load.state === "loaded" && load.users.length > 0 && (
        <Table aria-label={t(filterLabels[filter])} className={stacked.table}>
          <TableHeader>
            <TableRow>
              {selectable && (
                <TableSelectionCell
                  checked={allOnPage ? true : someOnPage ? "mixed" : false}
                  onClick={toggleAll}
                  checkboxIndicator={{ "aria-label": t("usersList.selectAll") }}
                />
              )}
              {sortHeader("displayName", t("users.displayName"))}
              {sortHeader("userPrincipalName", t("users.userName"))}
              <TableHeaderCell scope="col">
                {deleted ? t("users.deletedOn") : t("users.licenses")}
              </TableHeaderCell>
              {deleted && <TableHeaderCell scope="col">{t("users.restoreWithin")}</TableHeaderCell>}
              {canRestore && <TableHeaderCell scope="col">{t("users.actions")}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {load.users.map((user) => (
              <TableRow key={user.id} aria-selected={selectable ? selected.has(user.id) : undefined}>
                {selectable && (
                  <TableSelectionCell
                    checked={selected.has(user.id)}
                    onClick={() => toggle(user)}
                    checkboxIndicator={{
                      "aria-label": t("usersList.selectUser", { name: user.displayName }),
                    }}
                  />
                )}
                <TableCell data-label={t("users.displayName")}>
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
                <TableCell data-label={t("users.userName")}>{user.userPrincipalName}</TableCell>
                <TableCell data-label={deleted ? t("users.deletedOn") : t("users.licenses")}>
                  {deleted ? user.deletedDateTime && formatDate(user.deletedDateTime) : licenseNames(user)}
                </TableCell>
                {deleted && (
                  <TableCell data-label={t("users.restoreWithin")}>
                    {user.retainedUntil && daysLeftText(daysLeft(user.retainedUntil))}
                  </TableCell>
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
      {load.state === "loaded" && hasMore(load.cursors) && (
        <Button className={styles.more} disabledFocusable={loadingMore} onClick={() => void showMore()}>
          {t("users.showMore")}
        </Button>
      )}
      {load.state === "loaded" && !hasMore(load.cursors) && load.users.length > 0 && (
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
      <ManageLicensesDialog
        open={managing}
        api={api}
        users={chosen}
        onDone={(message) => {
          setManaging(false);
          setNotice(message);
          void reload(true);
        }}
        onCancel={() => {
          setManaging(false);
          void reload(true);
        }}
        onOpenJob={(jobId) => {
          setManaging(false);
          setLeavingTo(`~/jobs/${encodeURIComponent(jobId)}`);
        }}
      />
      <DeleteUsersDialog
        open={deleting}
        api={api}
        users={chosen}
        onDone={afterDelete}
        onCancel={() => setDeleting(false)}
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
