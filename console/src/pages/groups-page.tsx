// "Groups": the tenant's security groups with their licenses, how far those have reached the
// members (each group's licenseProcessingState, read through `$batch`: the listing does not carry
// it) and how many members are in error; create a group. A group's own page is `/groups/{id}`.
import {
  Button,
  Link as FluentLink,
  makeStyles,
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
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { findProduct } from "../../../shared/domain/catalog.js";
import { type ApiClient, type Group, type LicenseProcessingState, refusalText } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { LoadStatus } from "../components/load-status.js";
import { skipTokenOf, usePagedList } from "../components/paged-list.js";
import { useStackedTable } from "../components/stacked-table.js";
import { CreateGroupDialog } from "./create-group-dialog.js";
import { deletedNoticeOf } from "./group-page.js";
import { processingStateText, groupTexts as texts } from "./group-texts.js";

const pageSize = 50;

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0` },
  toolbar: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  caption: { color: tokens.colorNeutralForeground3 },
  more: { margin: `${tokens.spacingVerticalM} 0` },
});

interface Row {
  readonly group: Group;
  readonly processing: LicenseProcessingState | undefined;
}

const hasProcessing = (
  body: unknown,
): body is { id: string; licenseProcessingState: LicenseProcessingState } =>
  typeof body === "object" && body !== null && "id" in body && "licenseProcessingState" in body;

/** Each group's licenseProcessingState, by id: `GET groups/{id}` in `$batch`es of 20. */
async function processingOf(
  api: ApiClient,
  groups: readonly Group[],
): Promise<ReadonlyMap<string, LicenseProcessingState> | { readonly refusal: string }> {
  const batches: Group[][] = [];
  for (let i = 0; i < groups.length; i += 20) batches.push(groups.slice(i, i + 20));
  const answers = await Promise.all(
    batches.map((batch) =>
      api.POST("/api/$batch", {
        body: {
          requests: batch.map((group, index) => ({
            id: String(index),
            method: "GET",
            url: `groups/${group.id}`,
          })),
        },
      }),
    ),
  );
  const byId = new Map<string, LicenseProcessingState>();
  for (const { data, error, response } of answers) {
    if (!data) return { refusal: refusalText(error, response) };
    for (const inner of data.responses) {
      if (hasProcessing(inner.body)) byId.set(inner.body.id, inner.body.licenseProcessingState);
    }
  }
  return byId;
}

const licenseNames = (group: Group): string =>
  group.assignedLicenses.map((license) => findProduct(license.skuId)?.displayName ?? "").join(", ");

export function GroupsPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  // A group deleted on its own page comes back here with the notice in the history entry.
  const [notice, setNotice] = useState<string | undefined>(() => deletedNoticeOf(window.history.state));
  const [refusal, setRefusal] = useState<string>();
  const [creating, setCreating] = useState(false);
  const restoreFocusTarget = useRestoreFocusTarget();

  const fetchPage = useCallback(
    async (skipToken: string | undefined) => {
      const { data, error, response } = await api.GET("/api/groups", {
        params: { query: { $top: pageSize, ...(skipToken ? { skipToken } : {}) } },
      });
      if (!data) return { failed: refusalText(error, response) } as const;
      const groups = data.value.filter((group): group is Group => group.displayName !== undefined);
      const processing = await processingOf(api, groups);
      if ("refusal" in processing) return { failed: String(processing.refusal) } as const;
      return {
        items: groups.map((group): Row => ({ group, processing: processing.get(group.id) })),
        skipToken: skipTokenOf(data["@odata.nextLink"]),
      } as const;
    },
    [api],
  );

  const { load, reload, showMore, loadingMore } = usePagedList(fetchPage);

  return (
    <>
      <Title1 as="h1" className={styles.title}>
        {t("groups.pageTitle")}
      </Title1>
      <div className={styles.toolbar}>
        {session.can("manageGroups") && (
          <Button appearance="primary" onClick={() => setCreating(true)} {...restoreFocusTarget}>
            {t("groups.createGroup")}
          </Button>
        )}
        <Button onClick={() => void reload(load.state === "loaded")}>{t("common.refresh")}</Button>
      </div>
      <LoadStatus
        load={load}
        loading={t("groups.loadingGroups")}
        notice={notice}
        refusal={refusal}
        onRetry={() => reload(load.state === "loaded")}
      />
      {load.state === "loaded" && load.items.length === 0 && <Text as="p">{t("groups.noGroups")}</Text>}
      {load.state === "loaded" && load.items.length > 0 && (
        <Table aria-label={t("groups.groupsTable")} className={stacked.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("groups.columnName")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnDescription")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnLicenses")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnProcessing")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnInError")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {load.items.map(({ group, processing }) => (
              <TableRow key={group.id}>
                <TableCell data-label={t("groups.columnName")}>
                  <Link href={`/groups/${group.id}`} asChild>
                    <FluentLink>{group.displayName}</FluentLink>
                  </Link>
                </TableCell>
                <TableCell data-label={t("groups.columnDescription")}>{group.description ?? ""}</TableCell>
                <TableCell data-label={t("groups.columnLicenses")}>
                  <Text>{texts.licensesCount(group.assignedLicenses.length)}</Text>
                  {group.assignedLicenses.length > 0 && (
                    <Text as="p" size={200} className={styles.caption}>
                      {licenseNames(group)}
                    </Text>
                  )}
                </TableCell>
                <TableCell data-label={t("groups.columnProcessing")}>
                  {processing && processingStateText(processing.state)}
                  {processing && processing.state !== "ProcessingComplete" && (
                    <Text as="p" size={200} className={styles.caption}>
                      {texts.processingProgress(processing.membersProcessed, processing.membersTotal)}
                    </Text>
                  )}
                </TableCell>
                <TableCell data-label={t("groups.columnInError")}>
                  {processing && texts.membersInError(processing.membersInError)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {load.state === "loaded" && load.skipToken !== undefined && (
        <Button
          className={styles.more}
          disabledFocusable={loadingMore}
          onClick={() => void showMore().then(setRefusal)}
        >
          {t("groups.showMoreGroups")}
        </Button>
      )}
      <CreateGroupDialog
        open={creating}
        api={api}
        onDone={(message) => {
          setCreating(false);
          setNotice(message);
          void reload();
        }}
        onCancel={() => setCreating(false)}
      />
    </>
  );
}
