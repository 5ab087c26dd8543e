// The product page's dialogs: assign the product to users chosen by name or UPN, and unassign it from
// the holders selected. Up to 20 users at once go through the product-centric routes
// (`subscribedSkus/{skuId}/assign|unassign`, a result per user); more go through a bulk job
// (`POST /api/licenses/bulk`), whose progress the dialog shows until it is done. Unassigning warns
// first of the data the users lose (DataLossWarning).
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { findProduct } from "../../../shared/domain/catalog.js";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import type { components } from "../api/schema.js";
import { DataLossWarning } from "../components/data-loss.js";
import { type Job, JobProgress } from "../components/job-progress.js";
import { KeptDialog } from "../components/kept-dialog.js";
import { ServicePlanSwitches } from "../components/service-plan-switches.js";
import { UserPicker } from "../components/user-picker.js";
import type { UserSummary } from "../components/user-search.js";
import { formatList } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { problemText } from "../i18n/problem-text.js";

/** The most users sent at once to the product-centric routes, as the admin center does. */
export const directLimit = 20;

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL },
});

interface DialogProps {
  readonly open: boolean;
  readonly api: ApiClient;
  readonly product: SubscribedSku;
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
}

type Results = { readonly kind: "results"; readonly done: number; readonly failures: readonly string[] };
type Outcome = Results | { readonly kind: "job"; readonly jobId: string };

/** What either dialog shows once sent: the users it failed for, the bulk job's progress, or a refusal. */
function OutcomeView(props: {
  readonly api: ApiClient;
  readonly outcome: Outcome | undefined;
  readonly refusal: string | undefined;
  readonly nameOf: (userId: string) => string | undefined;
  readonly onFinished: (job: Job) => void;
  readonly failedTitle: (results: Results) => string;
  readonly refusedTitle: string;
}) {
  const { api, outcome, refusal } = props;
  const styles = useStyles();
  return (
    <>
      {outcome?.kind === "results" && (
        <MessageBar intent="warning">
          <MessageBarBody>
            <MessageBarTitle>{props.failedTitle(outcome)}</MessageBarTitle>
            <ul className={styles.list}>
              {outcome.failures.map((failure) => (
                <li key={failure}>{failure}</li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      )}
      {outcome?.kind === "job" && (
        <JobProgress
          api={api}
          jobId={outcome.jobId}
          nameOf={props.nameOf}
          canRetry={true}
          onFinished={props.onFinished}
        />
      )}
      {refusal && (
        <MessageBar intent="error">
          <MessageBarBody>
            <MessageBarTitle>{props.refusedTitle}</MessageBarTitle>
            {refusal}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}

export function ProductAssignDialog(props: DialogProps) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <AssignForm {...props} />
    </KeptDialog>
  );
}

function AssignForm(props: DialogProps) {
  const { api, product } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<readonly UserSummary[]>([]);
  // Services switched off for the new holders, set by the same switches as the user panel's
  // "Licenses and apps" (a plan others need takes them along).
  const [disabledPlans, setDisabledPlans] = useState<readonly string[]>([]);
  const catalogProduct = findProduct(product.skuId);
  const { busy, refusal, outcome, nameOf, onFinished, submit, close } = useProductChange(props, chosen, {
    direct: (userIds) =>
      api.POST("/api/subscribedSkus/{skuId}/assign", {
        params: { path: { skuId: product.skuId } },
        body: { userIds, ...(disabledPlans.length > 0 ? { disabledPlans: [...disabledPlans] } : {}) },
      }),
    bulk: { operation: "add", licenses: [{ skuId: product.skuId, disabledPlans: [...disabledPlans] }] },
    kind: "assign",
  });

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("productDialogs.assignTitle", { product: product.displayName })}</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>
            {t("licenses.available", {
              available: product.availableUnits,
              total: product.prepaidUnits.enabled,
            })}
          </Text>
          {!outcome && (
            <>
              <UserPicker
                api={api}
                label={t("productDialogs.users")}
                chosen={chosen}
                onChange={setChosen}
                unavailable={(user) =>
                  user.assignedLicenses?.some(
                    (held) => held.skuId.toLowerCase() === product.skuId.toLowerCase(),
                  )
                    ? t("productDialogs.alreadyHasIt")
                    : undefined
                }
              />
              {catalogProduct && (
                <ServicePlanSwitches
                  product={catalogProduct}
                  disabledPlans={disabledPlans}
                  onChange={setDisabledPlans}
                />
              )}
              <Text size={200}>
                {disabledPlans.length === 0
                  ? t("productDialogs.allServicesOn")
                  : t("productDialogs.servicesOff", { count: disabledPlans.length })}
                {chosen.length > directLimit ? t("productDialogs.asJob", { limit: directLimit }) : ""}
              </Text>
            </>
          )}
          <OutcomeView
            api={api}
            outcome={outcome}
            refusal={refusal}
            nameOf={nameOf}
            onFinished={onFinished}
            failedTitle={(results) =>
              t("productDialogs.assignedPartly", { count: results.done, failed: results.failures.length })
            }
            refusedTitle={t("productDialogs.notAssigned")}
          />
        </DialogContent>
        <DialogActions>
          {!outcome && (
            <Button type="submit" appearance="primary" disabledFocusable={chosen.length === 0 || busy}>
              {t("productDialogs.assign")}
            </Button>
          )}
          <Button onClick={close}>{outcome ? t("common.close") : t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

const names = (users: readonly UserSummary[]) =>
  users.length <= 3
    ? formatList(users.map((user) => user.displayName))
    : i18next.t("productDialogs.usersCount", { count: users.length });

export function ProductUnassignDialog(props: DialogProps & { readonly users: readonly UserSummary[] }) {
  return (
    <KeptDialog open={props.open} onCancel={props.onCancel}>
      <UnassignForm {...props} />
    </KeptDialog>
  );
}

function UnassignForm(props: DialogProps & { readonly users: readonly UserSummary[] }) {
  const { api, product, users } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const { busy, refusal, outcome, nameOf, onFinished, submit, close } = useProductChange(props, users, {
    direct: (userIds) =>
      api.POST("/api/subscribedSkus/{skuId}/unassign", {
        params: { path: { skuId: product.skuId } },
        body: { userIds },
      }),
    bulk: { operation: "remove", licenses: [{ skuId: product.skuId }] },
    kind: "unassign",
  });

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{t("productDialogs.unassignTitle", { product: product.displayName })}</DialogTitle>
        <DialogContent className={styles.form}>
          {!outcome && (
            <>
              <Text>
                {t("productDialogs.unassignText", {
                  product: product.displayName,
                  users: t("productDialogs.usersCount", { count: users.length }),
                })}
              </Text>
              <ul className={styles.list} aria-label={t("productDialogs.usersToUnassign")}>
                {users.slice(0, 10).map((user) => (
                  <li key={user.id}>
                    {user.displayName} ({user.userPrincipalName})
                  </li>
                ))}
                {users.length > 10 && <li>{t("productDialogs.andMore", { count: users.length - 10 })}</li>}
              </ul>
              <DataLossWarning kind="unassign" count={users.length} />
            </>
          )}
          <OutcomeView
            api={api}
            outcome={outcome}
            refusal={refusal}
            nameOf={nameOf}
            onFinished={onFinished}
            failedTitle={(results) =>
              t("productDialogs.notUnassignedFrom", { count: results.failures.length })
            }
            refusedTitle={t("productDialogs.notUnassigned")}
          />
        </DialogContent>
        <DialogActions>
          {!outcome && (
            <Button type="submit" appearance="primary" disabledFocusable={users.length === 0 || busy}>
              {t("productDialogs.unassign")}
            </Button>
          )}
          <Button onClick={close}>{outcome ? t("common.close") : t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

type UserResults = components["schemas"]["UserResults"];
type BulkRequest = components["schemas"]["BulkRequest"];

/** How one of the two dialogs changes the product for its users, and its words for what happened. */
interface Change {
  /** The product-centric route, for up to `directLimit` users: a result per user. */
  readonly direct: (
    userIds: string[],
  ) => Promise<{ readonly data?: UserResults; readonly error?: unknown; readonly response: Response }>;
  /** The bulk job's operation and licenses, for more users. */
  readonly bulk: Pick<BulkRequest, "operation" | "licenses">;
  /** Which words report what happened. */
  readonly kind: "assign" | "unassign";
}

/**
 * What both dialogs do once sent: up to `directLimit` users through the product-centric route
 * (done, or the users it failed for), more through a bulk job whose progress the dialog follows;
 * and what Close reports to the page.
 */
function useProductChange(props: DialogProps, users: readonly UserSummary[], change: Change) {
  const { api, product } = props;
  const { t } = useTranslation();
  const assigning = change.kind === "assign";
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [finishedJob, setFinishedJob] = useState<Job>();
  const nameOf = (id: string) => users.find((user) => user.id === id)?.displayName;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(undefined);
    const userIds = users.map((user) => user.id);
    if (userIds.length <= directLimit) {
      const { data, error, response } = await change.direct(userIds);
      setBusy(false);
      if (!data) return setRefusal(refusalText(error, response));
      const failures = data.value
        .filter((result) => result.outcome === "Failed")
        .map((result) =>
          t("productDialogs.failure", {
            name: nameOf(result.userId) ?? result.userId,
            reason: problemText({ code: result.code, detail: result.detail }, undefined, {
              skuId: product.skuId,
            }),
          }),
        );
      if (failures.length === 0) {
        const key = assigning ? "productDialogs.assignedTo" : "productDialogs.unassignedFrom";
        return props.onDone(t(key, { product: product.displayName, users: names(users) }));
      }
      return setOutcome({ kind: "results", done: data.value.length - failures.length, failures });
    }
    const { data, error, response } = await api.POST("/api/licenses/bulk", {
      body: { userIds, ...change.bulk, allowPartial: false },
    });
    setBusy(false);
    if (!data || !("jobId" in data)) return setRefusal(refusalText(error, response));
    setOutcome({ kind: "job", jobId: data.jobId });
  };

  const close = () => {
    if (outcome?.kind === "results") {
      props.onDone(
        t(assigning ? "productDialogs.assignedSome" : "productDialogs.unassignedSome", {
          product: product.displayName,
          users: t("productDialogs.usersCount", { count: outcome.done }),
          failed: outcome.failures.length,
        }),
      );
    } else if (finishedJob) {
      props.onDone(
        t(assigning ? "productDialogs.assigningDone" : "productDialogs.unassigningDone", {
          product: product.displayName,
          succeeded: finishedJob.succeeded,
          total: finishedJob.total,
          failed: finishedJob.failed,
        }),
      );
    } else props.onCancel();
  };

  return { busy, refusal, outcome, nameOf, onFinished: setFinishedJob, submit, close };
}
