// A group's members (add through the people picker, up to 20 a request with `members@odata.bind`;
// remove) and its members with license errors: each product held back, why in words, and Reprocess
// (`POST /users/{id}/reprocessLicenseAssignment`). Both are sections of the group's page.
import {
  Button,
  Link as FluentLink,
  makeStyles,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "wouter";
import { findProduct } from "../../../shared/domain/catalog.js";
import { type ApiClient, refusalText, type User } from "../api/client.js";
import { LoadStatus, type PageLoad } from "../components/load-status.js";
import { skipTokenOf, usePagedList } from "../components/paged-list.js";
import { useStackedTable } from "../components/stacked-table.js";
import { UserPicker } from "../components/user-picker.js";
import type { UserSummary } from "../components/user-search.js";
import { licenseErrorText, listOf, groupTexts as texts } from "./group-texts.js";
import { closeGoesBack } from "./user-address.js";

const membersPageSize = 100;
/** Graph takes up to 20 members in one `members@odata.bind`. */
const bindLimit = 20;

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: `${tokens.spacingVerticalL} 0 0` },
  add: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "480px" },
});

/** What a section tells the page after a request: its outcome, or the refusal, to show. */
export interface SectionOutcome {
  readonly notice?: string;
  readonly refusal?: string;
}

const userLink = (user: { readonly id: string; readonly displayName: string }) => (
  <Link href={`/users/${encodeURIComponent(user.id)}`} state={closeGoesBack} asChild>
    <FluentLink>{user.displayName}</FluentLink>
  </Link>
);

export function GroupMembers(props: {
  readonly api: ApiClient;
  readonly groupId: string;
  readonly canManage: boolean;
  /** Called after members were added or removed: licenses and errors moved with them. */
  readonly onChanged: (outcome: SectionOutcome) => void;
}) {
  const { api, groupId, canManage, onChanged } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<readonly UserSummary[]>([]);
  const [busy, setBusy] = useState(false);

  const fetchPage = useCallback(
    async (skipToken: string | undefined) => {
      const { data, error, response } = await api.GET("/api/groups/{id}/members", {
        params: {
          path: { id: groupId },
          query: { $top: membersPageSize, ...(skipToken ? { skipToken } : {}) },
        },
      });
      if (!data) return { failed: refusalText(error, response) } as const;
      return { items: data.value, skipToken: skipTokenOf(data["@odata.nextLink"]) };
    },
    [api, groupId],
  );

  const { load: members, reload, showMore, loadingMore } = usePagedList(fetchPage);

  const add = async () => {
    setBusy(true);
    const added: string[] = [];
    for (let i = 0; i < chosen.length; i += bindLimit) {
      const batch = chosen.slice(i, i + bindLimit);
      const { error, response } = await api.PATCH("/api/groups/{id}", {
        params: { path: { id: groupId } },
        body: {
          "members@odata.bind": batch.map(
            (user) => `${window.location.origin}/v1.0/directoryObjects/${encodeURIComponent(user.id)}`,
          ),
        },
      });
      if (!response.ok) {
        setBusy(false);
        setChosen(chosen.slice(i));
        void reload(true);
        return onChanged({
          ...(added.length > 0 ? { notice: texts.added(added) } : {}),
          refusal: refusalText(error, response),
        });
      }
      added.push(...batch.map((user) => user.displayName));
    }
    setBusy(false);
    setChosen([]);
    void reload(true);
    onChanged({ notice: texts.added(added) });
  };

  const remove = async (user: User) => {
    const { error, response } = await api.DELETE("/api/groups/{id}/members/{userId}/$ref", {
      params: { path: { id: groupId, userId: user.id } },
    });
    if (!response.ok) return onChanged({ refusal: refusalText(error, response) });
    void reload(true);
    onChanged({ notice: texts.removed(user.displayName) });
  };

  const memberIds = new Set(members.state === "loaded" ? members.items.map((user) => user.id) : []);

  return (
    <section className={styles.section} aria-labelledby="group-members">
      <Subtitle2 as="h2" id="group-members" className={styles.heading}>
        {t("groups.membersHeading")}
      </Subtitle2>
      {canManage && (
        <div className={styles.add}>
          <UserPicker
            api={api}
            label={t("groups.addMembers")}
            chosen={chosen}
            onChange={setChosen}
            unavailable={(user) => (memberIds.has(user.id) ? t("groups.alreadyMember") : undefined)}
          />
          {chosen.length > 0 && (
            <div>
              <Button appearance="primary" disabledFocusable={busy} onClick={() => void add()}>
                {texts.addChosen(chosen.length)}
              </Button>
            </div>
          )}
        </div>
      )}
      <LoadStatus
        load={members}
        loading={t("groups.loadingMembers")}
        onRetry={() => reload(members.state === "loaded")}
      />
      {members.state === "loaded" && members.items.length === 0 && <Text>{t("groups.noMembers")}</Text>}
      {members.state === "loaded" && members.items.length > 0 && (
        <Table aria-label={t("groups.membersHeading")} className={stacked.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("groups.columnName")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnUserName")}</TableHeaderCell>
              {canManage && <TableHeaderCell>{t("groups.columnActions")}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {members.items.map((user) => (
              <TableRow key={user.id}>
                <TableCell data-label={t("groups.columnName")}>{userLink(user)}</TableCell>
                <TableCell data-label={t("groups.columnUserName")}>{user.userPrincipalName}</TableCell>
                {canManage && (
                  <TableCell>
                    <Button
                      aria-label={texts.removeLabel(user.displayName)}
                      onClick={() => void remove(user)}
                    >
                      {t("common.remove")}
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {members.state === "loaded" && members.skipToken !== undefined && (
        <div>
          <Button
            disabledFocusable={loadingMore}
            onClick={() => void showMore().then((refusal) => refusal && onChanged({ refusal }))}
          >
            {t("groups.showMoreMembers")}
          </Button>
        </div>
      )}
    </section>
  );
}

type Errors = PageLoad<{ readonly users: readonly User[] }>;

/** The user's entries from this group that are held back, each with its product and why. */
const heldBack = (user: User, groupId: string) =>
  user.licenseAssignmentStates.flatMap((entry) =>
    entry.assignedByGroup?.toLowerCase() === groupId.toLowerCase() && entry.error !== "None"
      ? [{ skuId: entry.skuId, reason: licenseErrorText(entry.error) }]
      : [],
  );

const productName = (skuId: string) => findProduct(skuId)?.displayName ?? "";

export function GroupLicenseErrors(props: {
  readonly api: ApiClient;
  readonly groupId: string;
  readonly canAssign: boolean;
  /** Changes whenever the errors may have changed (processing ended, members moved): read again. */
  readonly version: number;
  readonly onChanged: (outcome: SectionOutcome) => void;
}) {
  const { api, groupId, canAssign, version, onChanged } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Errors>({ state: "loading" });
  const [busy, setBusy] = useState<string>();

  const reload = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/groups/{id}/membersWithLicenseErrors", {
      params: { path: { id: groupId } },
    });
    if (data) setErrors({ state: "loaded", users: data.value });
    else setErrors({ state: "failed", message: refusalText(error, response) });
  }, [api, groupId]);

  useEffect(() => {
    void version;
    void reload();
  }, [reload, version]);

  const reprocess = async (user: User) => {
    setBusy(user.id);
    const { data, error, response } = await api.POST("/api/users/{id}/reprocessLicenseAssignment", {
      params: { path: { id: user.id } },
    });
    setBusy(undefined);
    if (!data) return onChanged({ refusal: refusalText(error, response) });
    const still = heldBack(data, groupId);
    void reload();
    onChanged({
      notice:
        still.length > 0
          ? texts.stillInError(
              data.displayName,
              listOf(still.map((entry) => `${productName(entry.skuId)} (${entry.reason})`)),
            )
          : texts.reprocessed(data.displayName),
    });
  };

  const rows =
    errors.state === "loaded"
      ? errors.users.flatMap((user) => heldBack(user, groupId).map((entry) => ({ user, ...entry })))
      : [];

  return (
    <section className={styles.section} aria-labelledby="group-errors">
      <Subtitle2 as="h2" id="group-errors" className={styles.heading}>
        {t("groups.errorsHeading")}
      </Subtitle2>
      <LoadStatus load={errors} loading={t("groups.loadingMembers")} onRetry={reload} />
      {errors.state === "loaded" && rows.length === 0 && <Text>{t("groups.noErrors")}</Text>}
      {rows.length > 0 && (
        <Table aria-label={t("groups.errorsHeading")} className={stacked.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("groups.columnName")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnProduct")}</TableHeaderCell>
              <TableHeaderCell>{t("groups.columnReason")}</TableHeaderCell>
              {canAssign && <TableHeaderCell>{t("groups.columnActions")}</TableHeaderCell>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map(({ user, skuId, reason }, index) => (
              <TableRow key={`${user.id}/${skuId}`}>
                <TableCell data-label={t("groups.columnName")}>{userLink(user)}</TableCell>
                <TableCell data-label={t("groups.columnProduct")}>{productName(skuId)}</TableCell>
                <TableCell data-label={t("groups.columnReason")}>{reason}</TableCell>
                {canAssign && (
                  <TableCell>
                    {/* One button per member, on their first row. */}
                    {rows.findIndex((row) => row.user.id === user.id) === index && (
                      <Button
                        aria-label={texts.reprocessLabel(user.displayName)}
                        disabledFocusable={busy === user.id}
                        onClick={() => void reprocess(user)}
                      >
                        {t("groups.reprocess")}
                      </Button>
                    )}
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </section>
  );
}
