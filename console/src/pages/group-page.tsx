// A group (`/groups/{id}`, from the Groups page or a user's inherited license): its license
// processing (polled while not complete, with a bar of members processed), its licenses with a
// switch per service (`LicenseChoices`, as the user panel; saved with `POST /groups/{id}/assignLicense`),
// its members and those with license errors (./group-members.tsx), and Delete group.
import {
  Button,
  makeStyles,
  ProgressBar,
  Subtitle2,
  Text,
  Title1,
  tokens,
  useRestoreFocusTarget,
} from "@fluentui/react-components";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useParams } from "wouter";
import { findProduct, type Product } from "../../../shared/domain/catalog.js";
import { type ApiClient, type Group, refusalText, type SubscribedSku } from "../api/client.js";
import type { Session } from "../auth/session.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import { LicenseChoices, type LicenseDraft } from "../components/license-choices.js";
import { licenseChanges } from "../components/license-draft.js";
import { LoadStatus } from "../components/load-status.js";
import { GroupLicenseErrors, GroupMembers, type SectionOutcome } from "./group-members.js";
import { processingStateText, groupTexts as texts } from "./group-texts.js";

const pollMs = 500;

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0 ${tokens.spacingVerticalXS}` },
  back: { color: tokens.colorBrandForegroundLink },
  caption: { color: tokens.colorNeutralForeground3 },
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS, maxWidth: "640px" },
  heading: { margin: `${tokens.spacingVerticalL} 0 0` },
  actions: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalM} 0`,
  },
});

/** A deletion's notice, carried to the Groups page in the history entry. */
export const deletedNoticeOf = (state: unknown): string | undefined =>
  typeof state === "object" &&
  state !== null &&
  "deletedNotice" in state &&
  typeof state.deletedNotice === "string"
    ? state.deletedNotice
    : undefined;

export function GroupPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const { id: groupId = "" } = useParams<{ id: string }>();
  const styles = useStyles();
  const { t } = useTranslation();
  const [, navigate] = useLocation();
  const canManage = session.can("manageGroups");
  const canAssign = session.can("assignLicenses");
  const restoreFocusTarget = useRestoreFocusTarget();

  const [group, setGroup] = useState<Group>();
  const [failure, setFailure] = useState<string>();
  const [products, setProducts] = useState<readonly SubscribedSku[]>([]);
  const [draft, setDraft] = useState<LicenseDraft>(new Map());
  const [notice, setNotice] = useState<string>();
  const [refusal, setRefusal] = useState<string>();
  const [saving, setSaving] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Read the members in error again when this changes: processing ended, members moved.
  const [errorsVersion, setErrorsVersion] = useState(0);

  const loadGroup = useCallback(async () => {
    setFailure(undefined);
    const { data, error, response } = await api.GET("/api/groups/{id}", {
      params: { path: { id: groupId } },
    });
    if (!data || data.displayName === undefined || data.assignedLicenses === undefined) {
      return setFailure(refusalText(error, response));
    }
    setGroup(data as Group);
  }, [api, groupId]);

  const loadProducts = useCallback(async () => {
    const { data, error, response } = await api.GET("/api/subscribedSkus");
    if (data) setProducts(data.value);
    else setRefusal(refusalText(error, response));
  }, [api]);

  useEffect(() => {
    void loadGroup();
    void loadProducts();
  }, [loadGroup, loadProducts]);

  // The draft starts as the group's licenses, and again after each save.
  const assignedLicenses = group?.assignedLicenses;
  const held: LicenseDraft = useMemo(
    () => new Map(assignedLicenses?.map((license) => [license.skuId, license.disabledPlans]) ?? []),
    [assignedLicenses],
  );
  useEffect(() => setDraft(held), [held]);

  // Polled while the members are being given the group's licenses; the errors read again at the end.
  const processing = group?.licenseProcessingState;
  const complete = processing === undefined || processing.state === "ProcessingComplete";
  useEffect(() => {
    // Each new read of the group schedules the next.
    if (group === undefined || complete) return;
    const timer = setTimeout(() => void loadGroup(), pollMs);
    return () => clearTimeout(timer);
  }, [group, complete, loadGroup]);
  // At the end of processing the seats have moved too: the products' counts are read again.
  useEffect(() => {
    if (!complete) return;
    setErrorsVersion((version) => version + 1);
    void loadProducts();
  }, [complete, loadProducts]);

  const show = (outcome: SectionOutcome) => {
    setNotice(outcome.notice);
    setRefusal(outcome.refusal);
  };
  const membersChanged = (outcome: SectionOutcome) => {
    show(outcome);
    void loadGroup();
    setErrorsVersion((version) => version + 1);
  };

  const changes = licenseChanges(held, draft);
  const changed = changes.addLicenses.length > 0 || changes.removeLicenses.length > 0;
  const save = async () => {
    setSaving(true);
    show({});
    const { data, error, response } = await api.POST("/api/groups/{id}/assignLicense", {
      params: { path: { id: groupId } },
      body: changes,
    });
    setSaving(false);
    if (!data) return show({ refusal: refusalText(error, response) });
    setGroup(data);
    show({ notice: texts.licensesSaved(data.displayName) });
  };

  const choices = useMemo(() => {
    const bought = products.flatMap((sku) => {
      const product = findProduct(sku.skuId);
      return product
        ? [
            {
              product,
              label: texts.licenseLabel(product.displayName, sku.availableUnits, sku.prepaidUnits.enabled),
            },
          ]
        : [];
    });
    const others = (assignedLicenses ?? []).flatMap((license) => {
      const product = findProduct(license.skuId);
      return product && !bought.some((entry) => entry.product.skuId === product.skuId)
        ? [{ product, label: product.displayName }]
        : [];
    });
    return [...bought, ...others] as { product: Product; label: string }[];
  }, [products, assignedLicenses]);

  const name = group?.displayName ?? "";
  return (
    <>
      <nav aria-label={t("subscriptions.breadcrumb")}>
        <Link href="/groups" className={styles.back}>
          ← {t("groups.backToGroups")}
        </Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        {group ? name : t("groups.pageTitle")}
      </Title1>
      {group && (
        <Text as="p" block className={styles.caption}>
          {group.description ?? t("groups.noDescription")}
        </Text>
      )}
      <LoadStatus
        load={
          failure ? { state: "failed", message: failure } : group ? { state: "loaded" } : { state: "loading" }
        }
        loading={t("groups.loadingGroup")}
        onRetry={loadGroup}
        notice={notice}
        refusal={refusal}
      />
      {group && (
        <>
          {canManage && (
            <div className={styles.actions}>
              <Button onClick={() => setDeleting(true)} {...restoreFocusTarget}>
                {t("groups.deleteGroup")}
              </Button>
            </div>
          )}
          {!canManage && !canAssign && <Text>{t("groups.readOnly")}</Text>}
          {processing && (
            <section className={styles.section} aria-labelledby="group-processing">
              <Subtitle2 as="h2" id="group-processing" className={styles.heading}>
                {t("groups.columnProcessing")}
              </Subtitle2>
              <Text role="status">
                {processingStateText(processing.state)}
                {processing.membersTotal > 0 &&
                  ` · ${texts.processingProgress(processing.membersProcessed, processing.membersTotal)}`}
              </Text>
              <ProgressBar
                aria-label={texts.processingBar(name, processing.membersProcessed, processing.membersTotal)}
                value={
                  processing.membersTotal === 0
                    ? complete
                      ? 1
                      : 0
                    : processing.membersProcessed / processing.membersTotal
                }
                thickness="large"
              />
            </section>
          )}
          <section className={styles.section} aria-labelledby="group-licenses">
            <Subtitle2 as="h2" id="group-licenses" className={styles.heading}>
              {t("groups.columnLicenses")}
            </Subtitle2>
            <Text>{t("groups.licensesIntro")}</Text>
            {choices.length === 0 && <Text>{t("licenses.noProducts")}</Text>}
            <LicenseChoices choices={choices} licenses={draft} readOnly={!canAssign} onChange={setDraft} />
            {canAssign && (
              <div>
                <Button
                  appearance="primary"
                  disabledFocusable={!changed || saving}
                  onClick={() => void save()}
                >
                  {t("groups.saveLicenses")}
                </Button>
              </div>
            )}
          </section>
          <GroupLicenseErrors
            api={api}
            groupId={group.id}
            canAssign={canAssign}
            version={errorsVersion}
            onChanged={membersChanged}
          />
          <GroupMembers api={api} groupId={group.id} canManage={canManage} onChanged={membersChanged} />
        </>
      )}
      <DeleteGroupDialog
        open={deleting}
        api={api}
        group={group}
        onDone={(message) => {
          setDeleting(false);
          navigate("/groups", { state: { deletedNotice: message } });
        }}
        onCancel={() => setDeleting(false)}
      />
    </>
  );
}

interface DeleteProps {
  readonly api: ApiClient;
  readonly group: Group | undefined;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

function DeleteGroupDialog(props: DeleteProps & { readonly open: boolean }) {
  const { api, group } = props;
  const { t } = useTranslation();

  const remove = async (): Promise<string | undefined> => {
    if (!group) return undefined;
    const { error, response } = await api.DELETE("/api/groups/{id}", { params: { path: { id: group.id } } });
    if (response.ok) {
      props.onDone(texts.deleted(group.displayName));
      return undefined;
    }
    // The server's 409 names the group by id and the API's path: the console says it in its words.
    return response.status === 409
      ? texts.deleteRefusedLicensed(group.displayName, group.assignedLicenses.length)
      : refusalText(error, response);
  };

  return (
    <ConfirmDialog
      open={props.open && group !== undefined}
      title={group ? texts.deleteTitle(group.displayName) : ""}
      confirmLabel={t("common.delete")}
      refusalTitle={t("groups.notDeleted")}
      onConfirm={remove}
      onCancel={props.onCancel}
    >
      {group && <Text>{texts.deleteText(group.displayName)}</Text>}
    </ConfirmDialog>
  );
}
