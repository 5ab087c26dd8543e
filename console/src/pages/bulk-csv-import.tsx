// The Bulk page's "Import from CSV file": the file read by csv-import.ts, its names and ids looked up
// through `$batch` (`GET users/{upn or id}`, 20 a batch), with a bar for a big file; then how many
// were added and every line that was not, by its line number and value.
import {
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  ProgressBar,
  tokens,
} from "@fluentui/react-components";
import { type ChangeEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiClient } from "../api/client.js";
import { type CsvProblem, csvUsers } from "../components/csv-import.js";
import { type UserSummary, usersByPrincipalName } from "../components/user-search.js";

/** Names looked up between two moves of the bar: 4 `$batch`es of 20, as usersByPrincipalName sends. */
const lookupStep = 80;

const useStyles = makeStyles({
  input: { padding: `${tokens.spacingVerticalXS} 0` },
  problems: {
    margin: 0,
    paddingLeft: tokens.spacingHorizontalL,
    maxHeight: "240px",
    overflowY: "auto",
  },
});

type Report = {
  readonly intent: "success" | "warning" | "error";
  readonly title: string;
  readonly lines: readonly { readonly line: number; readonly text: string }[];
};

export function BulkCsvImport(props: {
  readonly api: ApiClient;
  /** How many more users the job can take. */
  readonly room: () => number;
  readonly maxUsers: number;
  /** Adds the users found; answers how many were not chosen already. */
  readonly onFound: (users: readonly UserSummary[]) => number;
}) {
  const { api } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [progress, setProgress] = useState<{ readonly done: number; readonly total: number }>();
  const [report, setReport] = useState<Report>();

  const problemText = (problem: CsvProblem | { line: number; kind: "notFound"; value: string }) =>
    problem.kind === "noName"
      ? t("bulkImport.noName", { line: problem.line })
      : problem.kind === "unterminated"
        ? t("bulkImport.unterminated", { line: problem.line })
        : problem.kind === "repeated"
          ? t("bulkImport.repeated", { line: problem.line, value: problem.value, first: problem.first })
          : problem.kind === "malformed"
            ? t("bulkImport.malformed", { line: problem.line, value: problem.value })
            : t("bulkImport.notFound", { line: problem.line, value: problem.value });

  const importFile = async (file: File) => {
    setReport(undefined);
    let text: string;
    try {
      text = await file.text();
    } catch {
      return setReport({
        intent: "error",
        title: t("bulkImport.unreadable", { file: file.name }),
        lines: [],
      });
    }
    const read = csvUsers(text);
    if ("failure" in read) {
      const title =
        read.failure === "empty"
          ? t("bulkImport.empty", { file: file.name })
          : t("bulkImport.noColumn", { file: file.name, header: read.header.join(", ") });
      return setReport({ intent: "error", title, lines: [] });
    }

    const room = Math.max(0, props.room());
    const rows = read.rows.slice(0, room);
    const over = read.rows.slice(room);
    const lineOf = new Map(rows.map((row) => [row.value, row.line]));
    const problems: (CsvProblem | { line: number; kind: "notFound"; value: string })[] = [...read.problems];
    const found: UserSummary[] = [];
    let refusal: string | undefined;
    setProgress({ done: 0, total: rows.length });
    for (let i = 0; i < rows.length; i += lookupStep) {
      const slice = rows.slice(i, i + lookupStep);
      const answer = await usersByPrincipalName(
        api,
        slice.map((row) => row.value),
      );
      if ("refusal" in answer) {
        refusal = t("bulkImport.stopped", { line: slice[0]?.line ?? 0, reason: answer.refusal });
        break;
      }
      found.push(...answer.users);
      for (const value of answer.missing)
        problems.push({ line: lineOf.get(value) ?? 0, kind: "notFound", value });
      setProgress({ done: Math.min(rows.length, i + lookupStep), total: rows.length });
    }
    setProgress(undefined);
    const added = props.onFound(found);
    const lines = problems
      .map((problem) => ({ line: problem.line, text: problemText(problem) }))
      .sort((a, b) => a.line - b.line);
    const firstOver = over[0];
    if (firstOver) {
      lines.push({
        line: firstOver.line,
        text: t("bulkImport.overLimit", {
          line: firstOver.line,
          count: over.length,
          max: props.maxUsers,
        }),
      });
    }
    const title = [
      t("bulkImport.added", { file: file.name, count: added }),
      found.length > added ? t("bulkImport.alreadyChosen", { count: found.length - added }) : "",
      lines.length > 0 ? t("bulkImport.notAdded", { count: lines.length }) : "",
      refusal ?? "",
    ].join("");
    setReport({
      intent: refusal ? "error" : lines.length > 0 ? "warning" : "success",
      title,
      lines,
    });
  };

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared, so that choosing the same file again (corrected) reads it again.
    event.target.value = "";
    if (file) void importFile(file);
  };

  return (
    <>
      <Field label={t("bulkImport.label")} hint={t("bulkImport.hint")}>
        {(control) => (
          <input
            {...control}
            className={styles.input}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            disabled={progress !== undefined}
            onChange={onChange}
          />
        )}
      </Field>
      {progress && (
        <Field
          validationMessage={t("bulkImport.lookingUp", { done: progress.done, count: progress.total })}
          validationState="none"
        >
          <ProgressBar
            aria-label={t("bulkImport.progress")}
            value={progress.total === 0 ? 0 : progress.done / progress.total}
          />
        </Field>
      )}
      {report && (
        <MessageBar intent={report.intent} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{report.title}</MessageBarTitle>
            {report.lines.length > 0 && (
              // Focusable, so that a long list can be scrolled from the keyboard.
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region needs to take focus
              <ul className={styles.problems} aria-label={t("bulkImport.problems")} tabIndex={0}>
                {report.lines.map((line) => (
                  <li key={`${line.line}-${line.text}`}>{line.text}</li>
                ))}
              </ul>
            )}
          </MessageBarBody>
        </MessageBar>
      )}
    </>
  );
}
