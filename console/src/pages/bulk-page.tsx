// "Bulk": change the licenses of many users at once. Choose the users (UPNs pasted and resolved through
// `$batch`, a CSV file's (./bulk-csv-import.tsx), a filter's users, or people picked by name), the
// operation and the products; a dry run (`?dryRun=true`) shows the seats needed, available and
// missing and who would fail; then the job runs with a live progress bar, its results and "Retry
// failed" (components/job-progress.tsx). What is chosen, and the job, outlive a visit to another page
// (sessionStorage: this tab only). Remove, Replace and Remove all warn of the data the users lose,
// and Remove all asks first.
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Link as FluentLink,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Radio,
  RadioGroup,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Textarea,
  Title1,
  Title2,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { components } from "../api/schema.js";
import type { Session } from "../auth/session.js";
import { DataLossWarning } from "../components/data-loss.js";
import { JobProgress } from "../components/job-progress.js";
import { PageButtons } from "../components/page-buttons.js";
import { useStackedTable } from "../components/stacked-table.js";
import { UserPicker } from "../components/user-picker.js";
import {
  allUsers,
  type Cursor,
  odataString,
  pastedNames,
  type UserSummary,
  usersByPrincipalName,
} from "../components/user-search.js";
import { formatList, formatNumber, productName } from "../i18n/format.js";
import { problemText } from "../i18n/problem-text.js";
import { BulkCsvImport } from "./bulk-csv-import.js";
import { loadBulkDraft, type Operation, saveBulkDraft } from "./bulk-draft.js";

type Preview = components["schemas"]["BulkPreview"];

/** The API's limit on one job. */
const maxUsers = 10_000;
const previewPageSize = 20;

const operations = [
  { value: "add", label: "bulk.opAdd" },
  { value: "replace", label: "bulk.opReplace" },
  { value: "remove", label: "bulk.opRemove" },
  { value: "removeAll", label: "bulk.opRemoveAll" },
] as const satisfies readonly { readonly value: Operation; readonly label: string }[];

const filters = {
  unlicensed: "bulk.filterUnlicensed",
  guests: "bulk.filterGuests",
  prefix: "bulk.filterPrefix",
} as const;
type FilterKind = keyof typeof filters;

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0` },
  section: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalM,
    maxWidth: "880px",
    marginBottom: tokens.spacingVerticalXXL,
  },
  row: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM },
  grow: { flexGrow: 1 },
  products: { display: "flex", flexDirection: "column", border: "none", margin: 0, padding: 0 },
  legend: { fontWeight: tokens.fontWeightSemibold, padding: 0 },
  caption: { color: tokens.colorNeutralForeground3 },
  dialog: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export function BulkPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const stacked = useStackedTable();
  // Focus goes back to Start when Remove all's question closes.
  const restoreFocusTarget = useRestoreFocusTarget();
  const canAssign = session.can("assignLicenses");
  // Read once: what this tab chose here before leaving the page.
  const [draft] = useState(() => loadBulkDraft(session.tenantId));

  const [chosen, setChosen] = useState<ReadonlyMap<string, UserSummary>>(
    () => new Map(draft?.users.map((user) => [user.id, user])),
  );
  // The choice as it is now, for additions that finish after other changes (a file's lookups).
  const chosenNow = useRef(chosen);
  const [pasted, setPasted] = useState("");
  const [filter, setFilter] = useState<FilterKind>("unlicensed");
  const [prefix, setPrefix] = useState("");
  const [finding, setFinding] = useState(false);
  const [usersNote, setUsersNote] = useState<{ readonly intent: "info" | "error"; readonly text: string }>();

  const [products, setProducts] = useState<readonly SubscribedSku[]>([]);
  const [productsRefusal, setProductsRefusal] = useState<string>();
  const [operation, setOperation] = useState<Operation>(draft?.operation ?? "add");
  const [skuIds, setSkuIds] = useState<ReadonlySet<string>>(() => new Set(draft?.skuIds));
  const [allowPartial, setAllowPartial] = useState(draft?.allowPartial ?? false);

  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [preview, setPreview] = useState<Preview>();
  const [previewPage, setPreviewPage] = useState(0);
  const [job, setJob] = useState<
    { readonly id: string; readonly names: ReadonlyMap<string, string> } | undefined
  >(() => draft?.job && { id: draft.job.id, names: new Map(draft.job.names) });
  const [confirming, setConfirming] = useState(false);

  const loadProducts = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/subscribedSkus");
    if (data) setProducts(data.value);
    else setProductsRefusal(refusalText(error, response));
  }, [api]);
  useEffect(() => {
    void loadProducts();
  }, [loadProducts]);

  // Any change to the request makes an earlier preview stale.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each input is a reason to clear it
  useEffect(() => {
    setPreview(undefined);
    setRefusal(undefined);
  }, [chosen, operation, skuIds, allowPartial]);

  const users = useMemo(() => [...chosen.values()], [chosen]);
  useEffect(() => {
    saveBulkDraft(session.tenantId, {
      users,
      operation,
      skuIds: [...skuIds],
      allowPartial,
      ...(job ? { job: { id: job.id, names: [...job.names] } } : {}),
    });
  }, [session.tenantId, users, operation, skuIds, allowPartial, job]);

  const choose = (next: ReadonlyMap<string, UserSummary>) => {
    chosenNow.current = next;
    setChosen(next);
  };
  const add = (found: readonly UserSummary[]) => {
    const before = chosenNow.current;
    const next = new Map(before);
    for (const user of found) if (next.size < maxUsers) next.set(user.id, user);
    choose(next);
    return next.size - before.size;
  };

  const addPasted = async () => {
    const names = pastedNames(pasted);
    if (names.length === 0) return;
    setFinding(true);
    const found = await usersByPrincipalName(api, names);
    setFinding(false);
    if ("refusal" in found) return setUsersNote({ intent: "error", text: found.refusal });
    const added = add(found.users);
    setPasted(found.missing.join("\n"));
    setUsersNote({
      intent: found.missing.length > 0 ? "error" : "info",
      text:
        t("bulk.addedPasted", { added, count: names.length }) +
        (found.missing.length > 0 ? t("bulk.missing", { names: found.missing.join(", ") }) : ""),
    });
  };

  const addFiltered = async () => {
    const cursor: Cursor =
      filter === "guests"
        ? { filter: "userType eq 'Guest'" }
        : filter === "prefix"
          ? { filter: `startswith(displayName,${odataString(prefix.trim())})` }
          : { filter: "" };
    setFinding(true);
    const found = await allUsers(api, [cursor], {
      limit: maxUsers,
      ...(filter === "unlicensed" ? { licensed: false } : {}),
    });
    setFinding(false);
    if ("refusal" in found) return setUsersNote({ intent: "error", text: found.refusal });
    const added = add(found.users);
    setUsersNote({
      intent: "info",
      text:
        t("bulk.found", {
          count: found.users.length,
          filter:
            filter === "prefix" ? t("bulk.filterPrefixWith", { prefix: prefix.trim() }) : t(filters[filter]),
          added,
        }) + (found.truncated ? t("bulk.truncated", { max: maxUsers }) : ""),
    });
  };

  const request = () => ({
    userIds: users.map((user) => user.id),
    operation,
    ...(operation === "removeAll" ? {} : { licenses: [...skuIds].map((skuId) => ({ skuId })) }),
    allowPartial,
  });
  const ready = canAssign && users.length > 0 && (operation === "removeAll" || skuIds.size > 0) && !busy;

  const dryRun = async () => {
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/licenses/bulk", {
      params: { query: { dryRun: "true" } },
      body: request(),
    });
    setBusy(false);
    if (!data || !("dryRun" in data)) return setRefusal(refusalText(error, response));
    setPreview(data);
    setPreviewPage(0);
  };

  const start = async () => {
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/licenses/bulk", { body: request() });
    setBusy(false);
    if (!data || !("jobId" in data)) return setRefusal(refusalText(error, response));
    setJob({ id: data.jobId, names: new Map(users.map((user) => [user.id, user.displayName])) });
  };

  const nameOfProduct = (skuId: string) =>
    products.find((product) => product.skuId.toLowerCase() === skuId.toLowerCase())?.displayName ??
    productName(skuId);
  const wouldFail = preview?.users.filter((user) => user.outcome === "Failed") ?? [];
  const previewPages = Math.max(1, Math.ceil(wouldFail.length / previewPageSize));

  return (
    <>
      <Title1 as="h1" className={styles.title}>
        {t("bulk.title")}
      </Title1>
      {!canAssign && (
        <MessageBar intent="info">
          <MessageBarBody>{t("bulk.readOnly")}</MessageBarBody>
        </MessageBar>
      )}

      <section className={styles.section} aria-labelledby="bulk-users">
        <Title2 as="h2" id="bulk-users">
          {t("bulk.users")}
        </Title2>
        <Field label={t("bulk.paste")}>
          <Textarea value={pasted} onChange={(_, data) => setPasted(data.value)} resize="vertical" rows={4} />
        </Field>
        <div className={styles.row}>
          {/* disabledFocusable: these buttons disable themselves while they work, and a disabled button
              drops the keyboard's focus to <body>. */}
          <Button
            disabledFocusable={finding || pastedNames(pasted).length === 0}
            onClick={() => void addPasted()}
          >
            {t("bulk.addPasted")}
          </Button>
        </div>
        <BulkCsvImport
          api={api}
          maxUsers={maxUsers}
          room={() => maxUsers - chosenNow.current.size}
          onFound={add}
        />
        <div className={styles.row}>
          <Field label={t("bulk.filter")}>
            <Select value={filter} onChange={(_, data) => setFilter(data.value as FilterKind)}>
              {Object.entries(filters).map(([value, label]) => (
                <option key={value} value={value}>
                  {t(label)}
                </option>
              ))}
            </Select>
          </Field>
          {filter === "prefix" && (
            <Field label={t("bulk.prefix")}>
              <Input value={prefix} onChange={(_, data) => setPrefix(data.value)} />
            </Field>
          )}
          <Button
            disabledFocusable={finding || (filter === "prefix" && prefix.trim() === "")}
            onClick={() => void addFiltered()}
          >
            {t("bulk.addMatching")}
          </Button>
        </div>
        <UserPicker
          api={api}
          label={t("bulk.pick")}
          chosen={users}
          onChange={(next) => add(next)}
          showChosen={false}
        />
        {usersNote && (
          <MessageBar intent={usersNote.intent === "error" ? "warning" : "info"}>
            <MessageBarBody>{usersNote.text}</MessageBarBody>
          </MessageBar>
        )}
        <div className={styles.row}>
          <Text weight="semibold" role="status">
            {t("bulk.chosen", { count: users.length })}
          </Text>
          <Button disabled={users.length === 0} onClick={() => choose(new Map())}>
            {t("bulk.clear")}
          </Button>
        </div>
        {users.length > 0 && (
          <Text size={200} className={styles.caption}>
            {users.length > 8
              ? t("bulk.andMore", {
                  names: users
                    .slice(0, 8)
                    .map((user) => user.displayName)
                    .join(", "),
                  count: users.length - 8,
                })
              : formatList(users.map((user) => user.displayName))}
          </Text>
        )}
      </section>

      <section className={styles.section} aria-labelledby="bulk-operation">
        <Title2 as="h2" id="bulk-operation">
          {t("bulk.licenses")}
        </Title2>
        <Field label={t("bulk.operation")}>
          <RadioGroup value={operation} onChange={(_, data) => setOperation(data.value as Operation)}>
            {operations.map((option) => (
              <Radio key={option.value} value={option.value} label={t(option.label)} />
            ))}
          </RadioGroup>
        </Field>
        {operation !== "removeAll" && (
          <fieldset className={styles.products}>
            <legend className={styles.legend}>{t("bulk.products")}</legend>
            {productsRefusal && <Text>{productsRefusal}</Text>}
            {products.length === 0 && !productsRefusal && <Text>{t("licenses.noProducts")}</Text>}
            {products.map((product) => (
              <Checkbox
                key={product.skuId}
                label={t("bulk.productLabel", {
                  product: product.displayName,
                  available: product.availableUnits,
                  total: product.prepaidUnits.enabled,
                })}
                checked={skuIds.has(product.skuId)}
                onChange={(_, data) => {
                  const next = new Set(skuIds);
                  if (data.checked === true) next.add(product.skuId);
                  else next.delete(product.skuId);
                  setSkuIds(next);
                }}
              />
            ))}
          </fieldset>
        )}
        <Checkbox
          label={t("bulk.allowPartial")}
          checked={allowPartial}
          onChange={(_, data) => setAllowPartial(data.checked === true)}
        />
        {operation !== "add" && users.length > 0 && <DataLossWarning kind="unassign" count={users.length} />}
        <div className={styles.row}>
          <Button disabledFocusable={!ready} onClick={() => void dryRun()}>
            {t("bulk.preview")}
          </Button>
          <Button
            appearance="primary"
            disabledFocusable={!ready}
            onClick={() => (operation === "removeAll" ? setConfirming(true) : void start())}
            {...restoreFocusTarget}
          >
            {t("bulk.start")}
          </Button>
        </div>
        <Dialog open={confirming} onOpenChange={(_, data) => setConfirming(data.open)}>
          <DialogSurface>
            <DialogBody>
              <DialogTitle>{t("bulkImport.confirmTitle", { count: users.length })}</DialogTitle>
              <DialogContent className={styles.dialog}>
                <Text>{t("bulkImport.confirmText")}</Text>
                <DataLossWarning kind="unassign" count={users.length} />
              </DialogContent>
              <DialogActions>
                <Button
                  appearance="primary"
                  onClick={() => {
                    setConfirming(false);
                    void start();
                  }}
                >
                  {t("bulkImport.confirm")}
                </Button>
                <Button onClick={() => setConfirming(false)}>{t("common.cancel")}</Button>
              </DialogActions>
            </DialogBody>
          </DialogSurface>
        </Dialog>
        {refusal && (
          <MessageBar intent="error">
            <MessageBarBody>
              <MessageBarTitle>{t("bulk.refused")}</MessageBarTitle>
              {refusal}
            </MessageBarBody>
          </MessageBar>
        )}
        {preview && (
          <section className={styles.section} aria-labelledby="bulk-preview">
            <Title2 as="h2" id="bulk-preview">
              {t("bulk.previewHeading")}
            </Title2>
            {preview.seats.length > 0 && (
              <Table aria-label={t("bulk.seats")} size="small" className={stacked.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t("bulk.product")}</TableHeaderCell>
                    <TableHeaderCell>{t("bulk.needed")}</TableHeaderCell>
                    <TableHeaderCell>{t("bulk.available")}</TableHeaderCell>
                    <TableHeaderCell>{t("bulk.missingSeats")}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {preview.seats.map((seat) => (
                    <TableRow key={seat.skuId}>
                      <TableCell data-label={t("bulk.product")}>{nameOfProduct(seat.skuId)}</TableCell>
                      <TableCell data-label={t("bulk.needed")}>{formatNumber(seat.needed)}</TableCell>
                      <TableCell data-label={t("bulk.available")}>{formatNumber(seat.available)}</TableCell>
                      <TableCell data-label={t("bulk.missingSeats")}>{formatNumber(seat.missing)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
            <Text>
              {t("bulk.wouldSucceed", {
                succeed: preview.users.length - wouldFail.length,
                count: preview.users.length,
                fail: wouldFail.length,
              })}
            </Text>
            {wouldFail.length > 0 && (
              <>
                <Table aria-label={t("bulk.wouldFail")} size="small" className={stacked.table}>
                  <TableHeader>
                    <TableRow>
                      <TableHeaderCell>{t("bulk.user")}</TableHeaderCell>
                      <TableHeaderCell>{t("bulk.reason")}</TableHeaderCell>
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {wouldFail
                      .slice(previewPage * previewPageSize, (previewPage + 1) * previewPageSize)
                      .map((user) => (
                        <TableRow key={user.userId}>
                          <TableCell data-label={t("bulk.user")}>
                            {chosen.get(user.userId)?.displayName ?? user.userId}
                          </TableCell>
                          <TableCell data-label={t("bulk.reason")}>
                            {problemText(
                              { code: user.code, detail: user.detail },
                              undefined,
                              skuIds.size === 1 ? { skuId: [...skuIds][0] ?? "" } : {},
                            )}
                          </TableCell>
                        </TableRow>
                      ))}
                  </TableBody>
                </Table>
                {previewPages > 1 && (
                  <PageButtons
                    page={previewPage}
                    pages={previewPages}
                    onPage={setPreviewPage}
                    noun="failures"
                  />
                )}
              </>
            )}
          </section>
        )}
      </section>

      {job && (
        <section className={styles.section} aria-labelledby="bulk-job">
          <Title2 as="h2" id="bulk-job">
            {t("bulk.progress")}
          </Title2>
          <JobProgress
            api={api}
            jobId={job.id}
            nameOf={(id) => job.names.get(id)}
            canRetry={canAssign}
            onFinished={() => void loadProducts()}
          />
          <Link href={`/jobs/${job.id}`} asChild>
            <FluentLink>{t("bulk.seeOnJobsPage")}</FluentLink>
          </Link>
        </section>
      )}
    </>
  );
}
