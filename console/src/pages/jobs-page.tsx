// "Jobs": the tenant's recent jobs (`GET /api/jobs`, newest first), bulk jobs and groups' license jobs,
// each named in words with its status, a bar while it runs (the list is read again every 2 s while any
// job runs), its counts and when it started and finished. A job's own page (`/jobs/{id}`) shows its
// progress and results as the Bulk page does (components/job-progress.tsx).
import {
  Button,
  Link as FluentLink,
  makeStyles,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title1,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "wouter";
import { type ApiClient, refusalText } from "../api/client.js";
import type { components } from "../api/schema.js";
import type { Session } from "../auth/session.js";
import { JobProgress, jobName, useGroupNames } from "../components/job-progress.js";
import { LoadStatus, type PageLoad, usePageLoad } from "../components/load-status.js";
import { useStackedTable } from "../components/stacked-table.js";
import { formatDateTime } from "../i18n/format.js";

type JobSummary = components["schemas"]["JobList"]["value"][number];

/** How many jobs the page lists. */
const listed = 50;
const pollMs = 2_000;

const running = (job: Pick<JobSummary, "status">) => job.status === "Queued" || job.status === "Running";

const useStyles = makeStyles({
  title: { margin: `${tokens.spacingVerticalM} 0` },
  toolbar: {
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
    margin: `${tokens.spacingVerticalM} 0`,
  },
  bar: { minWidth: "120px" },
});

export function JobsPage(props: { api: ApiClient; session: Session }) {
  const { api } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  // A failed read keeps the list shown, marked with its age (usePageLoad); a first one fails the page.
  const [load, setLoad] = usePageLoad<PageLoad<{ readonly jobs: readonly JobSummary[] }>>();
  // Refresh reads the list afresh (and polls again after a failure).
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` is the reason to read again
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      const { data, error, response } = await api.GET("/api/jobs", { params: { query: { $top: listed } } });
      if (!current) return;
      if (!data) return setLoad({ state: "failed", message: refusalText(error, response) });
      setLoad({ state: "loaded", jobs: data.value });
      if (data.value.some(running)) timer = setTimeout(() => void read(), pollMs);
    };
    void read();
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, round]);

  const groupIds = useMemo(
    () => (load.state === "loaded" ? load.jobs.flatMap((job) => (job.groupId ? [job.groupId] : [])) : []),
    [load],
  );
  const groups = useGroupNames(api, groupIds);

  return (
    <>
      <Title1 as="h1" className={styles.title}>
        {t("jobs.pageTitle")}
      </Title1>
      <div className={styles.toolbar}>
        <Button onClick={() => setRound((n) => n + 1)}>{t("common.refresh")}</Button>
      </div>
      <LoadStatus
        load={load}
        loading={t("jobs.loading")}
        onRetry={() => setRound((n) => n + 1)}
        refusal={groups.refusal}
      />
      {load.state === "loaded" && load.jobs.length === 0 && <Text as="p">{t("jobs.none")}</Text>}
      {load.state === "loaded" && load.jobs.length > 0 && (
        <Table aria-label={t("jobs.table")} className={stacked.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t("jobs.columnJob")}</TableHeaderCell>
              <TableHeaderCell>{t("jobs.columnStatus")}</TableHeaderCell>
              <TableHeaderCell>{t("jobs.columnProgress")}</TableHeaderCell>
              <TableHeaderCell>{t("jobs.columnStarted")}</TableHeaderCell>
              <TableHeaderCell>{t("jobs.columnFinished")}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {load.jobs.map((job) => {
              const name = jobName(job, groups.names);
              return (
                <TableRow key={job.jobId}>
                  <TableCell data-label={t("jobs.columnJob")}>
                    <Link href={`/jobs/${job.jobId}`} asChild>
                      <FluentLink>{name}</FluentLink>
                    </Link>
                  </TableCell>
                  <TableCell data-label={t("jobs.columnStatus")}>{t(`job.${job.status}`)}</TableCell>
                  <TableCell data-label={t("jobs.columnProgress")}>
                    {running(job) && (
                      <ProgressBar
                        className={styles.bar}
                        aria-label={t("jobs.progressOf", { name })}
                        aria-valuetext={t("job.processedOf", { processed: job.processed, total: job.total })}
                        value={job.total === 0 ? 1 : job.processed / job.total}
                      />
                    )}
                    <Text>
                      {t("jobs.counts", {
                        processed: job.processed,
                        total: job.total,
                        succeeded: job.succeeded,
                        failed: job.failed,
                      })}
                    </Text>
                  </TableCell>
                  <TableCell data-label={t("jobs.columnStarted")}>{formatDateTime(job.createdAt)}</TableCell>
                  <TableCell data-label={t("jobs.columnFinished")}>
                    {job.completedAt ? formatDateTime(job.completedAt) : ""}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </>
  );
}

/** One job (`/jobs/{id}`): its progress and results, as the Bulk page shows them. */
export function JobPage(props: { api: ApiClient; session: Session }) {
  const { api, session } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const { id = "" } = useParams<{ id: string }>();
  return (
    <>
      <nav aria-label={t("subscriptions.breadcrumb")}>
        <Link href="/jobs" asChild>
          <FluentLink>{t("jobs.allJobs")}</FluentLink>
        </Link>
      </nav>
      <Title1 as="h1" className={styles.title}>
        {t("job.region")}
      </Title1>
      <JobProgress api={api} jobId={id} canRetry={session.can("assignLicenses")} />
    </>
  );
}
