// The user panel, a drawer over the Users page as in the admin center: "Licenses and apps" (a
// checkbox per product the tenant bought, a switch per service under each checked one; saved as one
// `assignLicense` under the user's ETag), each license's source (assigned directly, or inherited
// from a group: locked here, with a link to the group, and why a group's license is held back), the
// usage location (changed here), the mailbox with its retention countdown, the Office installs with
// remove, and Delete. What a license taken away or a deletion does to the user's data is said before
// it is done (DataLossWarning).
import {
  Button,
  DrawerBody,
  DrawerFooter,
  DrawerHeader,
  DrawerHeaderTitle,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  OverlayDrawer,
  Spinner,
  Subtitle2,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link as RouteLink } from "wouter";
import { findProduct, type Product } from "../../../shared/domain/catalog.js";
import {
  type ApiClient,
  refusalText,
  type SubscribedSku,
  type User,
  type UserEntity,
} from "../api/client.js";
import type { components } from "../api/schema.js";
import type { Session } from "../auth/session.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import { DataLossWarning } from "../components/data-loss.js";
import { LicenseChoices } from "../components/license-choices.js";
import {
  directLicenses,
  licenseChanges,
  type ProductSources,
  sourcesByProduct,
} from "../components/license-draft.js";
import { FailureAlert } from "../components/load-status.js";
import { formatDate, formatList, productName } from "../i18n/format.js";
import { daysLeft, daysLeftText } from "./days-left.js";
import { groupTexts, licenseErrorText } from "./group-texts.js";
import { UsageLocationField } from "./usage-location-field.js";

type Mailbox = components["schemas"]["Mailbox"];
type Provisioning = components["schemas"]["Provisioning"];

const useStyles = makeStyles({
  // The body scrolls: its sections keep their height instead of shrinking into each other.
  body: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalL,
    "& > *": { flexShrink: 0 },
  },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  caption: { color: tokens.colorNeutralForeground3 },
  installs: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXS,
  },
  install: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalM },
  footer: { display: "flex", flexDirection: "column", alignItems: "stretch", gap: tokens.spacingVerticalS },
  buttons: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  sources: {
    listStyle: "none",
    margin: 0,
    padding: `0 0 ${tokens.spacingVerticalXS} ${tokens.spacingHorizontalXXL}`,
  },
  error: { color: tokens.colorPaletteRedForeground1 },
});

interface PanelProps {
  readonly api: ApiClient;
  readonly session: Session;
  readonly onClose: () => void;
  /** Called after a change the users list shows (licenses). */
  readonly onChanged: () => void;
}

/** Open while `userId` is set; stays mounted, its content mounts afresh for each user. */
export function UserPanel(props: PanelProps & { readonly userId: string | undefined }) {
  const { userId } = props;
  return (
    <OverlayDrawer
      position="end"
      size="medium"
      open={userId !== undefined}
      onOpenChange={(_, data) => !data.open && props.onClose()}
    >
      {userId && <UserPanelContent key={userId} {...props} userId={userId} />}
    </OverlayDrawer>
  );
}

interface Loaded {
  readonly user: User;
  readonly etag: string | undefined;
  readonly products: readonly SubscribedSku[];
  readonly mailbox: Mailbox | undefined;
  readonly provisioning: Provisioning | undefined;
  /** The user's groups' names by id, for the licenses they give; empty when they cannot be read. */
  readonly groupNames: ReadonlyMap<string, string>;
  /** The organization's default usage location: null when it has none, undefined when never set up. */
  readonly defaultUsageLocation: string | null | undefined;
}

function UserPanelContent(props: PanelProps & { readonly userId: string }) {
  const { api, session, userId } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState<Loaded>();
  const [failure, setFailure] = useState<string>();
  // The licenses as the admin has them on screen: skuId → its switched-off plans (absent: unchecked).
  const [draft, setDraft] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const [refusal, setRefusal] = useState<string>();
  const [stale, setStale] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const canAssign = session.can("assignLicenses");

  const load = useCallback(async () => {
    setFailure(undefined);
    const [user, skus, mailbox, provisioning, groups, organization] = await Promise.all([
      api.GET("/api/users/{id}", { params: { path: { id: userId } } }),
      api.GET("/api/subscribedSkus"),
      api.GET("/api/users/{id}/mailbox", { params: { path: { id: userId } } }),
      api.GET("/api/users/{id}/provisioning", { params: { path: { id: userId } } }),
      api.GET("/api/users/{id}/memberOf", { params: { path: { id: userId }, query: { $top: 999 } } }),
      api.GET("/api/organization"),
    ]);
    if (!user.data || !("assignedLicenses" in user.data) || user.data.assignedLicenses === undefined) {
      return setFailure(refusalText(user.error, user.response));
    }
    if (!skus.data) return setFailure(refusalText(skus.error, skus.response));
    const full: User = user.data as UserEntity;
    setLoaded({
      user: full,
      etag: user.response.headers.get("ETag") ?? undefined,
      products: skus.data.value,
      mailbox: mailbox.data,
      provisioning: provisioning.data,
      groupNames: new Map(groups.data?.value.map((group) => [group.id, group.displayName]) ?? []),
      defaultUsageLocation: defaultUsageLocationOf(organization.data?.value[0]),
    });
    setDraft(directLicenses(full));
    setStale(undefined);
  }, [api, userId]);

  useEffect(() => {
    void load();
  }, [load]);

  // Every product the tenant bought, and any the user holds that it no longer has.
  const products = useMemo((): readonly { product: Product; sku: SubscribedSku | undefined }[] => {
    if (!loaded) return [];
    const bought = loaded.products.flatMap((sku) => {
      const product = findProduct(sku.skuId);
      return product ? [{ product, sku }] : [];
    });
    const others = loaded.user.assignedLicenses.flatMap((license) => {
      const product = findProduct(license.skuId);
      return product && !bought.some((entry) => entry.product.skuId === product.skuId)
        ? [{ product, sku: undefined }]
        : [];
    });
    return [...bought, ...others];
  }, [loaded]);

  // Only direct assignments are the panel's to change: inherited ones are their group's.
  const held = useMemo(() => (loaded ? directLicenses(loaded.user) : new Map()), [loaded]);
  const sources = useMemo(() => (loaded ? sourcesByProduct(loaded.user) : new Map()), [loaded]);
  const { addLicenses, removeLicenses } = licenseChanges(held, draft);
  const changed = addLicenses.length > 0 || removeLicenses.length > 0;

  const save = async () => {
    if (!loaded) return;
    setBusy(true);
    setRefusal(undefined);
    setNotice(undefined);
    const { data, error, response } = await api.POST("/api/users/{id}/assignLicense", {
      params: { path: { id: userId }, header: loaded.etag ? { "If-Match": loaded.etag } : {} },
      body: { addLicenses, removeLicenses },
    });
    setBusy(false);
    if (response.status === 412) return setStale(refusalText(error, response));
    if (!data || !("assignedLicenses" in data)) return setRefusal(refusalText(error, response));
    setNotice(t("userPanel.saved", { name: data.displayName }));
    props.onChanged();
    // The new ETag, the seat counts, and what provisioning now shows.
    await load();
  };

  /** Deletes the user read (under its ETag): the panel closes and the list reads its users again. */
  const deleteUser = async ({ etag }: Loaded): Promise<string | undefined> => {
    const { error, response } = await api.DELETE("/api/users/{id}", {
      params: { path: { id: userId }, header: etag ? { "If-Match": etag } : {} },
    });
    if (!response.ok) return refusalText(error, response);
    setDeleting(false);
    props.onChanged();
    props.onClose();
    return undefined;
  };

  const removeInstall = async (installId: string, deviceName: string) => {
    setRefusal(undefined);
    const { error, response } = await api.DELETE("/api/users/{id}/officeInstalls/{installId}", {
      params: { path: { id: userId, installId } },
    });
    if (!response.ok) return setRefusal(refusalText(error, response));
    setNotice(t("userPanel.installRemoved", { device: deviceName }));
    await load();
  };

  return (
    <>
      <DrawerHeader>
        <DrawerHeaderTitle
          action={
            <Button appearance="subtle" aria-label={t("userPanel.close")} onClick={props.onClose}>
              ✕
            </Button>
          }
        >
          {loaded?.user.displayName ?? t("userPanel.user")}
        </DrawerHeaderTitle>
        {loaded && <Text className={styles.caption}>{loaded.user.userPrincipalName}</Text>}
      </DrawerHeader>
      <DrawerBody className={styles.body}>
        {!loaded && !failure && <Spinner label={t("userPanel.loading")} />}
        {failure && <FailureAlert message={failure} onRetry={load} />}
        {loaded && (
          <>
            <section className={styles.section} aria-labelledby="user-panel-licenses">
              <Subtitle2 as="h3" id="user-panel-licenses" className={styles.heading}>
                {t("userPanel.licensesAndApps")}
              </Subtitle2>
              {products.length === 0 && <Text>{t("licenses.noProducts")}</Text>}
              <LicenseChoices
                choices={products.map(({ product, sku }) => {
                  const from: ProductSources | undefined = sources.get(product.skuId);
                  const holding = loaded.user.assignedLicenses.find((l) => l.skuId === product.skuId);
                  return {
                    product,
                    label: sku
                      ? t("userPanel.productLabel", {
                          product: product.displayName,
                          available: sku.availableUnits,
                          total: sku.prepaidUnits.enabled,
                        })
                      : product.displayName,
                    ...(from
                      ? { sources: <LicenseSources sources={from} groupNames={loaded.groupNames} /> }
                      : {}),
                    ...(from && from.direct === undefined && holding
                      ? { inheritedDisabledPlans: holding.disabledPlans }
                      : {}),
                  };
                })}
                licenses={draft}
                readOnly={!canAssign}
                onChange={(next) => {
                  setDraft(next);
                  setNotice(undefined);
                }}
              />
            </section>
            {notice && (
              <MessageBar intent="success">
                <MessageBarBody>{notice}</MessageBarBody>
              </MessageBar>
            )}
            {refusal && <FailureAlert title={t("userPanel.notSaved")} message={refusal} onRetry={save} />}
            {stale && (
              <MessageBar intent="warning" layout="multiline">
                <MessageBarBody>
                  <MessageBarTitle>{t("userPanel.stale")}</MessageBarTitle>
                  {stale}
                </MessageBarBody>
                <MessageBarActions>
                  <Button onClick={() => void load()}>{t("userPanel.reload")}</Button>
                </MessageBarActions>
              </MessageBar>
            )}
            <UsageLocationField
              api={api}
              userId={userId}
              displayName={loaded.user.displayName}
              etag={loaded.etag}
              usageLocation={loaded.user.usageLocation}
              defaultUsageLocation={loaded.defaultUsageLocation}
              canEdit={session.can("manageUsers")}
              onSaved={(message) => {
                setNotice(message);
                props.onChanged();
                // A license a group held back for the old location may be given now: show it.
                void load();
              }}
              onStale={setStale}
            />
            <MailboxSection mailbox={loaded.mailbox} />
            <section className={styles.section} aria-labelledby="user-panel-office">
              <Subtitle2 as="h3" id="user-panel-office" className={styles.heading}>
                {t("userPanel.officeInstalls")}
              </Subtitle2>
              {loaded.provisioning && (
                <>
                  <Text>
                    {t("userPanel.devices", {
                      count: loaded.provisioning.officeApps.installs.length,
                      limit: loaded.provisioning.officeApps.limit,
                    })}
                    {loaded.provisioning.officeApps.entitled ? "" : t("userPanel.notEntitled")}
                  </Text>
                  <ul className={styles.installs}>
                    {loaded.provisioning.officeApps.installs.map((install) => (
                      <li key={install.id} className={styles.install}>
                        <Text>
                          {t("userPanel.install", {
                            device: install.deviceName,
                            platform: install.platform,
                            date: formatDate(install.installedAt),
                          })}
                        </Text>
                        {canAssign && (
                          <Button
                            size="small"
                            aria-label={t("userPanel.removeInstall", { device: install.deviceName })}
                            onClick={() => void removeInstall(install.id, install.deviceName)}
                          >
                            {t("userPanel.remove")}
                          </Button>
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </section>
          </>
        )}
      </DrawerBody>
      <DrawerFooter className={styles.footer}>
        {loaded && removeLicenses.length > 0 && (
          // Said as soon as a license is unticked, beside Save: before anything is taken away.
          <div role="status">
            <Text weight="semibold">
              {t("userPanelEdit.unassigning", {
                products: formatList(removeLicenses.map(productName)),
                name: loaded.user.displayName,
              })}
            </Text>
            <DataLossWarning kind="unassign" count={1} />
          </div>
        )}
        <div className={styles.buttons}>
          {canAssign && loaded && (
            <Button
              appearance="primary"
              // Focusable while disabled: saving disables it, and a disabled button drops focus to <body>.
              disabledFocusable={!changed || busy || stale !== undefined}
              onClick={() => void save()}
            >
              {t("userPanel.save")}
            </Button>
          )}
          {session.can("deleteUsers") && loaded && (
            <Button onClick={() => setDeleting(true)}>{t("userPanelEdit.deleteUser")}</Button>
          )}
        </div>
        {loaded && (
          <ConfirmDialog
            open={deleting}
            title={t("userPanelEdit.deleteTitle", { name: loaded.user.displayName })}
            confirmLabel={t("common.delete")}
            refusalTitle={t("userPanelEdit.notDeleted")}
            onConfirm={() => deleteUser(loaded)}
            onCancel={() => setDeleting(false)}
          >
            <Text>
              {t("userPanelEdit.deleteText", {
                name: loaded.user.displayName,
                userName: loaded.user.userPrincipalName,
              })}
            </Text>
            <DataLossWarning kind="delete" count={1} />
          </ConfirmDialog>
        )}
      </DrawerFooter>
    </>
  );
}

/**
 * An organization never set up (no `createdDateTime`) has no default and is not checked for one, as
 * the server decides (`usageLocationProblem`): undefined then, null for one set up without a country.
 */
const defaultUsageLocationOf = (
  organization: { countryLetterCode: string | null; createdDateTime: string | null } | undefined,
): string | null | undefined => (organization?.createdDateTime ? organization.countryLetterCode : undefined);

/** Where one product of the user's comes from: directly, and each group (with why, if held back). */
function LicenseSources(props: {
  readonly sources: ProductSources;
  readonly groupNames: ReadonlyMap<string, string>;
}) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { sources, groupNames } = props;
  return (
    <ul className={styles.sources}>
      {sources.direct !== undefined && (
        <li>
          <Text size={200}>{t("groups.assignedDirectly")}</Text>
        </li>
      )}
      {sources.groups.map((entry) => {
        const groupId = entry.assignedByGroup ?? "";
        const name = groupNames.get(groupId);
        return (
          <li key={groupId}>
            <Text size={200}>
              {t("groups.inheritedFrom")}{" "}
              {name ? (
                <RouteLink href={`~/groups/${encodeURIComponent(groupId)}`} asChild>
                  <Link>{name}</Link>
                </RouteLink>
              ) : (
                t("groups.aGroup")
              )}
              {entry.error !== "None" && (
                <span className={styles.error}>
                  {" "}
                  {groupTexts.notGivenBecause(licenseErrorText(entry.error))}
                </span>
              )}
            </Text>
          </li>
        );
      })}
      {sources.direct === undefined && sources.groups.some((entry) => entry.error === "None") && (
        <li>
          <Text size={200} className={styles.caption}>
            {t("groups.lockedNote")}
          </Text>
        </li>
      )}
    </ul>
  );
}

const mailboxStates = {
  None: "userPanel.mailboxNone",
  Active: "userPanel.mailboxActive",
  Retained: "userPanel.mailboxRetained",
  Inactive: "userPanel.mailboxInactive",
  Purged: "userPanel.mailboxPurged",
} as const satisfies Record<Mailbox["state"], string>;

const mailboxTypes = {
  User: "userPanel.mailboxUser",
  Shared: "userPanel.mailboxShared",
  Room: "userPanel.mailboxRoom",
  Resource: "userPanel.mailboxResource",
} as const satisfies Record<Mailbox["type"], string>;

function MailboxSection(props: { readonly mailbox: Mailbox | undefined }) {
  const styles = useStyles();
  const { t } = useTranslation();
  const { mailbox } = props;
  return (
    <section className={styles.section} aria-labelledby="user-panel-mailbox">
      <Subtitle2 as="h3" id="user-panel-mailbox" className={styles.heading}>
        {t("userPanel.mailbox")}
      </Subtitle2>
      {mailbox && (
        <>
          <Text>
            {t(mailboxStates[mailbox.state])}
            {mailbox.state !== "None" &&
              t("userPanel.mailboxKind", { type: t(mailboxTypes[mailbox.type]), size: mailbox.sizeGB })}
          </Text>
          {mailbox.state === "Retained" && mailbox.retainedUntil && (
            <Text>
              {t("userPanel.retained", {
                days: daysLeftText(daysLeft(mailbox.retainedUntil)),
                date: formatDate(mailbox.retainedUntil),
              })}
            </Text>
          )}
          {mailbox.needsLicense && <Text>{t("userPanel.needsLicense")}</Text>}
        </>
      )}
    </section>
  );
}
