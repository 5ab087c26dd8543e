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
import { type ApiClient, refusalText } from "../api/client.js";
import type { components } from "../api/schema.js";
import { PageButtons } from "./page-buttons.js";

export type Job = components["schemas"]["Job"];
type JobResult = NonNullable<Job["results"]>[number];

const finished = (job: Job) => job.status !== "Queued" && job.status !== "Running";
const pollMs = 500;
const pageSize = 20;

const useStyles = makeStyles({
  job: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  pager: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
});

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

  if (!job) {
    return refusal ? (
      <MessageBar intent="error">
        <MessageBarBody>{refusal}</MessageBarBody>
      </MessageBar>
    ) : (
      <Text>Starting the job…</Text>
    );
  }
  const percent = job.total === 0 ? 100 : Math.floor((job.processed / job.total) * 100);
  const shown = (results ?? []).filter((result) => !failuresOnly || result.outcome === "Failed");
  const pages = Math.max(1, Math.ceil(shown.length / pageSize));
  const onPage = shown.slice(page * pageSize, (page + 1) * pageSize);

  return (
    <section className={styles.job} aria-label="Job">
      <Text weight="semibold">
        Job {job.jobId}
        {job.retryOf ? ` (retrying the failures of ${job.retryOf})` : ""}: {job.status}
      </Text>
      <ProgressBar
        aria-label="Job progress"
        aria-valuetext={`${job.processed} of ${job.total} processed`}
        value={job.total === 0 ? 1 : job.processed / job.total}
        thickness="large"
        color={finished(job) && job.failed > 0 ? "warning" : "brand"}
      />
      <div role="status" tabIndex={-1} ref={progressLine}>
        <Text>
          {job.processed} of {job.total} processed ({percent} %): {job.succeeded} succeeded, {job.failed}{" "}
          failed
        </Text>
      </div>
      {refusal && (
        <MessageBar intent="error">
          <MessageBarBody>{refusal}</MessageBarBody>
        </MessageBar>
      )}
      {results && (
        <>
          <div className={styles.pager}>
            <Checkbox
              label="Failures only"
              checked={failuresOnly}
              onChange={(_, data) => {
                setFailuresOnly(data.checked === true);
                setPage(0);
              }}
            />
            {canRetry && job.failed > 0 && (
              <Button appearance="primary" disabledFocusable={retrying} onClick={() => void retry()}>
                Retry failed
              </Button>
            )}
          </div>
          {shown.length === 0 ? (
            <Text>{failuresOnly ? "No user failed." : "No results."}</Text>
          ) : (
            <>
              <Table aria-label="Job results" size="small">
                <TableHeader>
                  <TableRow>
                    <TableHeaderCell>User</TableHeaderCell>
                    <TableHeaderCell>Outcome</TableHeaderCell>
                    <TableHeaderCell>Reason</TableHeaderCell>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {onPage.map((result) => (
                    <TableRow key={result.userId}>
                      <TableCell>{nameOf?.(result.userId) ?? result.userId}</TableCell>
                      <TableCell>
                        {result.code ? `${result.outcome} (${result.code})` : result.outcome}
                      </TableCell>
                      <TableCell>{result.detail ?? ""}</TableCell>
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
