// A bulk job followed live: `GET /api/jobs/{id}` polled until it is done, a bar of processed of total,
// then its results (every page, following nextLink) with the failures and their reasons first, paged,
// and "Retry failed" (`POST /api/jobs/{id}/retry`), which follows the new job in its place.
import {
  Button,
  Checkbox,
  MessageBar,
  MessageBarBody,
  makeStyles,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiClient, refusalText } from "../api/client.js";
import type { components } from "../api/schema.js";
import { formatDateTime, formatList, formatTime, productName } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { problemText } from "../i18n/problem-text.js";
import { PageButtons } from "./page-buttons.js";
import { useStackedTable } from "./stacked-table.js";
import { usersByPrincipalName } from "./user-search.js";

export type Job = components["schemas"]["Job"];
type JobResult = NonNullable<Job["results"]>[number];

const finished = (job: Job) => job.status !== "Queued" && job.status !== "Running";
const pollMs = 500;
const pageSize = 20;

const useStyles = makeStyles({
  job: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  pager: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

/**
 * A job named in words, never by its id: "Add Microsoft 365 Business Basic to 30 users, started
 * 14:02" (with the date when it did not start today); a group's inherit job by its group's name
 * when `groups` (useGroupNames) has it.
 */
export function jobName(
  job: Pick<Job, "operation" | "licenses" | "total" | "createdAt" | "retryOf" | "groupId">,
  groups?: ReadonlyMap<string, string | null>,
): string {
  const t = i18next.t;
  const products = formatList(job.licenses.map((license) => productName(license.skuId)));
  const started = new Date(job.createdAt);
  const today = started.toDateString() === new Date().toDateString();
  const group = job.groupId ? groups?.get(job.groupId) : undefined;
  const name =
    job.operation === "inherit" && group
      ? t("job.inheritGroup", { count: job.total, products, group })
      : t(`job.${job.operation}`, { count: job.total, products });
  return (
    t("job.started", { name, at: today ? formatTime(started) : formatDateTime(started) }) +
    (job.retryOf ? t("job.retrying") : "")
  );
}

/**
 * The display names of the groups whose inherit jobs are shown (`GET /api/groups/{id}`), by id; null for
 * a group that is gone (its job is then named in words). A refusal other than 404 is returned to show.
 */
export function useGroupNames(
  api: ApiClient,
  groupIds: readonly string[],
): { readonly names: ReadonlyMap<string, string | null>; readonly refusal: string | undefined } {
  const [names, setNames] = useState<ReadonlyMap<string, string | null>>(new Map());
  const [refusal, setRefusal] = useState<string>();
  const key = [...new Set(groupIds)].sort().join(",");
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the ids
  useEffect(() => {
    let current = true;
    const wanted = key === "" ? [] : key.split(",").filter((id) => !names.has(id));
    for (const id of wanted) {
      void api.GET("/api/groups/{id}", { params: { path: { id } } }).then(({ data, error, response }) => {
        if (!current) return;
        if (data || response.status === 404) {
          setNames((known) => new Map(known).set(id, data?.displayName ?? null));
        } else {
          setRefusal(refusalText(error, response));
        }
      });
    }
    return () => {
      current = false;
    };
  }, [api, key]);
  return { names, refusal };
}

const outcomeKey = {
  Succeeded: "job.outcomeSucceeded",
  Failed: "job.outcomeFailed",
  Unchanged: "job.outcomeUnchanged",
} as const;

export interface JobProgressProps {
  readonly api: ApiClient;
  readonly jobId: string;
  /** A user's name for the results, when the page knows it. */
  readonly nameOf?: (userId: string) => string | undefined;
  /** Offer "Retry failed" (the role may assign). */
  readonly canRetry: boolean;
  /** Called once when a job ends, with the job (the page may refresh its counts). */
  readonly onFinished?: (job: Job) => void;
}

export function JobProgress(props: JobProgressProps) {
  const { api, canRetry, nameOf, onFinished } = props;
  const styles = useStyles();
  const stacked = useStackedTable();
  const { t } = useTranslation();
  const [jobId, setJobId] = useState(props.jobId);
  const [job, setJob] = useState<Job>();
  const [results, setResults] = useState<readonly JobResult[]>();
  const [refusal, setRefusal] = useState<string>();
  const [failuresOnly, setFailuresOnly] = useState(true);
  const [page, setPage] = useState(0);
  const [retrying, setRetrying] = useState(false);
  // "Retry failed" goes away with the job it retries: focus then goes to the new job's progress line,
  // not to <body>.
  const [focusProgress, setFocusProgress] = useState(false);
  const progressLine = useRef<HTMLDivElement>(null);
  const groups = useGroupNames(api, job?.groupId ? [job.groupId] : []);

  // The latest callback, without polling afresh when the page passes a new one.
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;

  useEffect(() => setJobId(props.jobId), [props.jobId]);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setJob(undefined);
    setResults(undefined);
    setPage(0);
    const poll = async () => {
      const { data, error, response } = await api.GET("/api/jobs/{jobId}", {
        params: { path: { jobId }, query: { top: 1000 } },
      });
      if (!current) return;
      if (!data) return setRefusal(refusalText(error, response));
      setJob(data);
      if (!finished(data)) {
        timer = setTimeout(() => void poll(), pollMs);
        return;
      }
      // Done: read the rest of the results, page after page.
      const all = [...(data.results ?? [])];
      let next = data.nextLink;
      while (next && current) {
        const skipToken = new URL(next, window.location.origin).searchParams.get("skipToken") ?? undefined;
        const more = await api.GET("/api/jobs/{jobId}", {
          params: { path: { jobId }, query: { top: 1000, ...(skipToken ? { skipToken } : {}) } },
        });
        if (!more.data) return setRefusal(refusalText(more.error, more.response));
        all.push(...(more.data.results ?? []));
        next = more.data.nextLink;
      }
      if (!current) return;
      setResults(all);
      finishedRef.current?.(data);
    };
    void poll();
    return () => {
      current = false;
      if (timer) clearTimeout(timer);
    };
  }, [api, jobId]);

  useEffect(() => {
    if (!focusProgress || job?.jobId !== jobId) return;
    progressLine.current?.focus();
    setFocusProgress(false);
  }, [focusProgress, job, jobId]);

  const retry = async () => {
    setRetrying(true);
    const { data, error, response } = await api.POST("/api/jobs/{jobId}/retry", {
      params: { path: { jobId } },
    });
    setRetrying(false);
    if (!data) return setRefusal(refusalText(error, response));
    setRefusal(undefined);
    setJobId(data.jobId);
    setFocusProgress(true);
  };

  const shown = (results ?? []).filter((result) => !failuresOnly || result.outcome === "Failed");
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const onPage = shown.slice(page * pageSize, (page + 1) * pageSize);

  // Without the page's names (the Jobs page), the users on the page shown are named by `$batch`
  // (`GET users/{id}`); a user no longer there keeps the id.
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const unnamed = nameOf
    ? ""
    : onPage.flatMap((result) => (names.has(result.userId) ? [] : [result.userId])).join(",");
  useEffect(() => {
    if (unnamed === "") return;
    let current = true;
    void usersByPrincipalName(api, unnamed.split(",")).then((answer) => {
      if (!current) return;
      if ("refusal" in answer) return setRefusal(answer.refusal);
      setNames((known) => {
        const next = new Map(known);
        for (const user of answer.users) next.set(user.id, user.displayName);
        for (const id of answer.missing) next.set(id, id);
        return next;
      });
    });
    return () => {
      current = false;
    };
  }, [api, unnamed]);
  const userName = (userId: string) => nameOf?.(userId) ?? names.get(userId) ?? userId;

  if (!job) {
    return refusal ? (
      <MessageBar intent="error" role="alert">
        <MessageBarBody>{refusal}</MessageBarBody>
      </MessageBar>
    ) : (
      <Text>{t("job.starting")}</Text>
    );
  }
  const percent = job.total === 0 ? 100 : Math.floor((job.processed / job.total) * 100);

  return (
    <section className={styles.job} aria-label={t("job.region")}>
      <Text weight="semibold">
        {t("job.title", { name: jobName(job, groups.names), status: t(`job.${job.status}`) })}
      </Text>
      <ProgressBar
        aria-label={t("job.progress")}
        aria-valuetext={t("job.processedOf", { processed: job.processed, total: job.total })}
        value={job.total === 0 ? 1 : job.processed / job.total}
        thickness="large"
        color={finished(job) && job.failed > 0 ? "warning" : "brand"}
      />
      <div role="status" tabIndex={-1} ref={progressLine}>
        <Text>
          {t("job.line", {
            processed: job.processed,
            total: job.total,
            percent,
            succeeded: job.succeeded,
            failed: job.failed,
          })}
        </Text>
      </div>
      {(refusal ?? groups.refusal) && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{refusal ?? groups.refusal}</MessageBarBody>
        </MessageBar>
      )}
      {results && (
        <>
          <div className={styles.pager}>
            <Checkbox
              label={t("job.failuresOnly")}
              checked={failuresOnly}
              onChange={(_, data) => {
                setFailuresOnly(data.checked === true);
                setPage(0);
              }}
            />
            {canRetry && job.failed > 0 && (
              <Button appearance="primary" disabledFocusable={retrying} onClick={() => void retry()}>
                {t("job.retryFailed")}
              </Button>
            )}
          </div>
          {shown.length === 0 ? (
            <Text>{failuresOnly ? t("job.noFailures") : t("job.noResults")}</Text>
          ) : (
            <>
              <Table aria-label={t("job.results")} size="small" className={stacked.table}>
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>{t("job.user")}</TableHeaderCell>
                    <TableHeaderCell>{t("job.outcome")}</TableHeaderCell>
                    <TableHeaderCell>{t("job.reason")}</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {onPage.map((result) => (
                    <TableRow key={result.userId}>
                      <TableCell data-label={t("job.user")}>{userName(result.userId)}</TableCell>
                      <TableCell data-label={t("job.outcome")}>{t(outcomeKey[result.outcome])}</TableCell>
                      <TableCell data-label={t("job.reason")}>
                        {result.outcome === "Failed"
                          ? problemText(
                              { code: result.code, detail: result.detail },
                              undefined,
                              job.licenses.length === 1 && job.licenses[0]
                                ? { skuId: job.licenses[0].skuId }
                                : {},
                            )
                          : ""}
                      </TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
              <PageButtons page={page} pages={pages} onPage={setPage} noun="results" />
            </>
          )}
        </>
      )}
    </section>
  );
}
