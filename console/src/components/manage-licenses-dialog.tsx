// "Manage product licenses" for the users selected on the Users page, as the admin center has it: add
// these licenses to the ones they have, replace theirs with these, or unassign all (asked once more,
// naming how many users). Whatever the number of users it runs as one bulk job
// (`POST /api/licenses/bulk`, operation add | replace | removeAll), whose progress the dialog follows.
import {
  Button,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogTitle,
  Link,
  makeStyles,
  Radio,
  RadioGroup,
  Text,
  tokens,
} from "@fluentui/react-components";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText, type SubscribedSku } from "../api/client.js";
import { DataLossWarning } from "./data-loss.js";
import { type Job, JobProgress } from "./job-progress.js";
import { KeptDialog } from "./kept-dialog.js";
import { type LicenseDraft, ProductChoices } from "./license-choices.js";
import { FailureAlert } from "./load-status.js";
import { namesText } from "./names-text.js";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalM },
});

export type LicenseOperation = "add" | "replace" | "removeAll";

interface ManageProps {
  readonly api: ApiClient;
  /** The users selected, by id with their names. */
  readonly users: readonly { readonly id: string; readonly displayName: string }[];
  /** Closed after a job: what it did, for the page to say. */
  readonly onDone: (message: string) => void;
  readonly onCancel: () => void;
  /** The Jobs page's link: the page closes the dialog, then goes there. */
  readonly onOpenJob: (jobId: string) => void;
}

export function ManageLicensesDialog(props: ManageProps & { readonly open: boolean }) {
  // Escape does what Close does: after a job, the page hears what it did.
  const close = useRef(props.onCancel);
  return (
    <KeptDialog open={props.open} onCancel={() => close.current()}>
      <ManageForm {...props} closeRef={close} />
    </KeptDialog>
  );
}

function ManageForm(props: ManageProps & { readonly closeRef: { current: () => void } }) {
  const { api, users } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [operation, setOperation] = useState<LicenseOperation>("add");
  const [products, setProducts] = useState<readonly SubscribedSku[]>();
  const [chosen, setChosen] = useState<LicenseDraft>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const [finished, setFinished] = useState<Job>();
  const count = users.length;

  useEffect(() => {
    void api.GET("/api/subscribedSkus").then(({ data, error, response }) => {
      if (data) setProducts(data.value);
      else setRefusal(refusalText(error, response));
    });
  }, [api]);

  const start = async () => {
    setBusy(true);
    setRefusal(undefined);
    const { data, error, response } = await api.POST("/api/licenses/bulk", {
      body: {
        operation,
        userIds: users.map((user) => user.id),
        ...(operation === "removeAll"
          ? {}
          : {
              licenses: [...chosen].map(([skuId, disabledPlans]) => ({
                skuId,
                disabledPlans: [...disabledPlans],
              })),
            }),
        allowPartial: false,
      },
    });
    setBusy(false);
    if (!data || !("jobId" in data)) return setRefusal(refusalText(error, response));
    setJobId(data.jobId);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (operation === "removeAll" && !confirming) return setConfirming(true);
    void start();
  };

  const close = () =>
    finished
      ? props.onDone(
          t("usersList.jobDone", {
            operation: t(`usersList.${operation}`),
            succeeded: finished.succeeded,
            total: finished.total,
            failed: finished.failed,
          }),
        )
      : props.onCancel();

  props.closeRef.current = close;

  // Save goes once the job starts: focus moves to the job's progress, not out of the dialog to <body>.
  const jobArea = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (jobId) jobArea.current?.focus();
  }, [jobId]);

  const nameOf = (id: string) => users.find((user) => user.id === id)?.displayName;
  const needsProducts = operation !== "removeAll";
  const title = confirming ? t("usersList.confirmRemoveAll", { count }) : t("usersList.manageTitle");

  return (
    <form onSubmit={submit}>
      <DialogBody>
        <DialogTitle>{title}</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>{t("usersList.forUsers", { users: namesText(users.map((user) => user.displayName)) })}</Text>
          {!jobId && !confirming && (
            <>
              <RadioGroup
                aria-label={t("usersList.operation")}
                value={operation}
                onChange={(_, data) => setOperation(data.value as LicenseOperation)}
              >
                <Radio value="add" label={t("usersList.add")} />
                <Radio value="replace" label={t("usersList.replace")} />
                <Radio value="removeAll" label={t("usersList.removeAll")} />
              </RadioGroup>
              {needsProducts && (
                <ProductChoices
                  legend={t("usersList.products")}
                  products={products}
                  failed={refusal !== undefined}
                  licenses={chosen}
                  onChange={setChosen}
                />
              )}
            </>
          )}
          {confirming && !jobId && <Text>{t("usersList.removeAllText", { count })}</Text>}
          {!jobId && operation !== "add" && <DataLossWarning kind="unassign" count={count} />}
          {jobId && (
            <div ref={jobArea} tabIndex={-1} className={styles.form}>
              <JobProgress api={api} jobId={jobId} nameOf={nameOf} canRetry={true} onFinished={setFinished} />
              <Link
                href={`/jobs/${encodeURIComponent(jobId)}`}
                onClick={(event) => {
                  event.preventDefault();
                  props.onOpenJob(jobId);
                }}
              >
                {t("usersList.seeOnJobsPage")}
              </Link>
            </div>
          )}
          {refusal && <FailureAlert title={t("usersList.notChanged")} message={refusal} />}
        </DialogContent>
        <DialogActions>
          {!jobId && (
            <Button
              type="submit"
              appearance="primary"
              disabledFocusable={busy || (needsProducts && chosen.size === 0)}
            >
              {confirming ? t("usersList.removeAllConfirm") : t("usersList.saveChanges")}
            </Button>
          )}
          {confirming && !jobId && (
            <Button onClick={() => setConfirming(false)}>{t("usersList.back")}</Button>
          )}
          <Button onClick={close}>{jobId ? t("common.close") : t("common.cancel")}</Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}
