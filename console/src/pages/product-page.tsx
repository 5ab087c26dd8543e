// A product ("Licenses" → a product's name): "N of M available" and who holds it, paged and searchable
// by name or UPN; assign it to users chosen by name or UPN, unassign selected holders. Up to 20 users
// go through `subscribedSkus/{skuId}/assign|unassign` at once, more through a bulk job shown live.
import {
  Button,
  Checkbox,
  Link as FluentLink,
  MessageBar,
  MessageBarBody,
  makeStyles,
  ProgressBar,
  SearchBox,
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
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus, type PageLoad } from "../components/load-status.js";
import { useStackedTable } from "../components/stacked-table.js";
import {
  type Cursor,
  holdersFilter,
  searchFilters,
  type UserSummary,
  usersPage,
} from "../components/user-search.js";
import { formatNumber, productName } from "../i18n/format.js";
import { ProductAssignDialog, ProductUnassignDialog } from "./product-dialogs.js";
import { closeGoesBack } from "./user-address.js";

const pageSize = 25;

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0` },
  summary: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, maxWidth: "360px" },
  toolbar: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalL} 0 ${tokens.spacingVerticalM}`,
  },
  search: { minWidth: "320px" },
  pager: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalS,
    marginTop: tokens.spacingVerticalM,
  },
  caption: { color: tokens.colorNeutralForeground3 },
  back: { color: tokens.colorBrandForegroundLink },
  select: { width: "48px" },
});

type Holders = PageLoad<{ readonly users: readonly UserSummary[]; readonly next: readonly Cursor[] }>;

export function ProductPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const { skuId = "" } = useParams<{ skuId: string }>();
  const styles = useStyles();
  const stacked = useStackedTable();
  const canAssign = session.can("assignLicenses");
  const { t } = useTranslation();
  const restoreFocusTarget = useRestoreFocusTarget();

  const [product, setProduct] = useState<SubscribedSku>();
  const [productRefusal, setProductRefusal] = useState<string>();
  const [search, setSearch] = useState("");
  // The cursors of the page shown, and of the pages before it (for "Previous page").
  const [trail, setTrail] = useState<readonly (readonly Cursor[])[]>([]);
  const [holders, setHolders] = useState<Holders>({ state: "loading" });
  const [selected, setSelected] = useState<ReadonlyMap<string, UserSummary>>(new Map());
  const [assigning, setAssigning] = useState(false);
  const [unassigning, setUnassigning] = useState(false);
  const [notice, setNotice] = useState<string>();

  const loadProduct = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/subscribedSkus/{skuId}", {
      params: { path: { skuId } },
    });
    if (data) setProduct(data);
    else setProductRefusal(refusalText(error, response));
  }, [api, skuId]);

  const firstCursors = useCallback(
    (text: string): readonly Cursor[] =>
      searchFilters(text, holdersFilter(skuId)).map((filter) => ({ filter })),
    [skuId],
  );
  const current = trail.at(-1);

  const loadHolders = useCallback(
    async (cursors: readonly Cursor[]) => {
      setHolders({ state: "loading" });
      const page = await usersPage(api, cursors, { top: pageSize });
      if ("refusal" in page) setHolders({ state: "failed", message: page.refusal });
      else setHolders({ state: "loaded", users: page.users, next: page.next });
    },
    [api],
  );

  useEffect(() => {
    void loadProduct();
  }, [loadProduct]);
  // A new search starts at its first page; a short pause in typing first.
  useEffect(() => {
    const timer = setTimeout(() => setTrail([firstCursors(search)]), search ? 300 : 0);
    return () => clearTimeout(timer);
  }, [search, firstCursors]);
  useEffect(() => {
    if (current) void loadHolders(current);
  }, [current, loadHolders]);

  const refresh = (message: string) => {
    setNotice(message);
    setSelected(new Map());
    void loadProduct();
    setTrail([firstCursors(search)]);
  };

  const toggle = (user: UserSummary, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(user.id, user);
    else next.delete(user.id);
    setSelected(next);
  };
  const shownUsers = holders.state === "loaded" ? holders.users : [];
  const allShownSelected = shownUsers.length > 0 && shownUsers.every((user) => selected.has(user.id));

  const name = product?.displayName ?? productName(skuId);
  return (
    <>
      <nav aria-label={t("subscriptions.breadcrumb")}>
        <Link href="/licenses" className={styles.back}>
          {t("product.back")}
        </Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        {name}
      </Title1>
      {productRefusal && (
        <MessageBar intent="error">
          <MessageBarBody>{productRefusal}</MessageBarBody>
        </MessageBar>
      )}
      {product && (
        <div className={styles.summary}>
          <Text>
            {t("licenses.available", {
              available: product.availableUnits,
              total: product.prepaidUnits.enabled,
            })}
          </Text>
          <ProgressBar
            aria-label={t("licenses.assignedBar", {
              product: product.displayName,
              assigned: product.consumedUnits,
              total: product.prepaidUnits.enabled,
            })}
            value={
              product.prepaidUnits.enabled === 0 ? 0 : product.consumedUnits / product.prepaidUnits.enabled
            }
            color={product.availableUnits === 0 ? "warning" : "brand"}
            thickness="large"
          />
          <Text size={200} className={styles.caption}>
            {t("product.assignedCaption", { count: product.consumedUnits })}
          </Text>
        </div>
      )}
      <div className={styles.toolbar}>
        {canAssign && (
          <Button
            appearance="primary"
            disabled={!product}
            onClick={() => setAssigning(true)}
            {...restoreFocusTarget}
          >
            {t("product.assign")}
          </Button>
        )}
        {canAssign && (
          <Button disabled={selected.size === 0} onClick={() => setUnassigning(true)} {...restoreFocusTarget}>
            {selected.size > 0 ? t("product.unassignCount", { count: selected.size }) : t("product.unassign")}
          </Button>
        )}
        <SearchBox
          className={styles.search}
          aria-label={t("product.search")}
          placeholder={t("product.search")}
          value={search}
          onChange={(_, data) => setSearch(data.value)}
        />
      </div>
      <LoadStatus
        load={holders}
        loading={t("product.loadingHolders")}
        notice={notice}
        onRetry={() => current && loadHolders(current)}
      />
      {holders.state === "loaded" && holders.users.length === 0 && (
        <Text as="p">
          {search.trim() ? t("product.noMatch", { search: search.trim() }) : t("product.noHolders")}
        </Text>
      )}
      {holders.state === "loaded" && holders.users.length > 0 && (
        <Table aria-label={t("product.table", { product: name })} className={stacked.table}>
          <TableHeader>
            <TableRow>
              {canAssign && (
                <TableHeaderCell className={styles.select}>
                  <Checkbox
                    aria-label={t("product.selectAll")}
                    checked={allShownSelected}
                    onChange={(_, data) => {
                      const next = new Map(selected);
                      for (const user of shownUsers) {
                        if (data.checked === true) next.set(user.id, user);
                        else next.delete(user.id);
                      }
                      setSelected(next);
                    }}
                  />
                </TableHeaderCell>
              )}
              <TableHeaderCell>{t("product.name")}</TableHeaderCell>
              <TableHeaderCell>{t("product.userName")}</TableHeaderCell>
              <TableHeaderCell>{t("product.servicesOff")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {holders.users.map((user) => {
              const license = user.assignedLicenses?.find(
                (held) => held.skuId.toLowerCase() === skuId.toLowerCase(),
              );
              return (
                <TableRow key={user.id}>
                  {canAssign && (
                    <TableCell>
                      <Checkbox
                        aria-label={t("product.select", { name: user.displayName })}
                        checked={selected.has(user.id)}
                        onChange={(_, data) => toggle(user, data.checked === true)}
                      />
                    </TableCell>
                  )}
                  <TableCell data-label={t("product.name")}>
                    <Link href={`/users/${encodeURIComponent(user.id)}`} state={closeGoesBack} asChild>
                      <FluentLink>{user.displayName}</FluentLink>
                    </Link>
                  </TableCell>
                  <TableCell data-label={t("product.userName")}>{user.userPrincipalName}</TableCell>
                  <TableCell data-label={t("product.servicesOff")}>
                    {formatNumber(license?.disabledPlans.length ?? 0)}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <nav className={styles.pager} aria-label={t("product.pages")}>
        <Button disabledFocusable={trail.length <= 1} onClick={() => setTrail(trail.slice(0, -1))}>
          {t("pager.previousPage")}
        </Button>
        <Text>{t("pager.page", { page: Math.max(1, trail.length) })}</Text>
        <Button
          disabledFocusable={holders.state !== "loaded" || holders.next.length === 0}
          onClick={() => holders.state === "loaded" && setTrail([...trail, holders.next])}
        >
          {t("pager.nextPage")}
        </Button>
      </nav>
      {product && (
        <>
          <ProductAssignDialog
            open={assigning}
            api={api}
            product={product}
            onDone={(message) => {
              setAssigning(false);
              refresh(message);
            }}
            onCancel={() => setAssigning(false)}
          />
          <ProductUnassignDialog
            open={unassigning}
            api={api}
            product={product}
            users={[...selected.values()]}
            onDone={(message) => {
              setUnassigning(false);
              refresh(message);
            }}
            onCancel={() => setUnassigning(false)}
          />
        </>
      )}
    </>
  );
}
