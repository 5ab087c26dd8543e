// What a page shows above its content: the last action's success notice or refusal, then a spinner
// while it loads, or why it could not load with Retry, or (when a refresh failed) that what it shows
// is from earlier, with its age. Refusals are alerts. When the service is back after being out of
// reach (./service-status.tsx), a load that failed is retried by itself.
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from "@fluentui/react-components";
import { type SetStateAction, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatAgo, formatTime } from "../i18n/format.js";
import { useServiceStatus } from "./service-status.js";

/** Data shown that a later refresh could not renew: from `since`, and why not. */
export interface Stale {
  readonly since: Date;
  readonly message: string;
}

/** A page's loading state: loading, failed with the server's detail, or loaded with what it holds. */
export type PageLoad<T> =
  | { readonly state: "loading" }
  | { readonly state: "failed"; readonly message: string }
  | ({ readonly state: "loaded"; readonly stale?: Stale } & T);

/**
 * A page's load state, as useState gives it, except that a failure after a load keeps what was
 * loaded, marked stale since it was loaded: a failed Refresh does not blank the page.
 */
export function usePageLoad<L extends PageLoad<object>>(
  initial: L = { state: "loading" } as L,
): readonly [L, (next: SetStateAction<L>) => void] {
  const [load, setLoad] = useState<L>(initial);
  const loadedAt = useRef<Date>(undefined);
  const set = useCallback((next: SetStateAction<L>) => {
    setLoad((shown) => {
      const value = typeof next === "function" ? next(shown) : next;
      if (value.state === "failed" && shown.state === "loaded") {
        return { ...shown, stale: { since: loadedAt.current ?? new Date(), message: value.message } };
      }
      return value;
    });
  }, []);
  // Stamped when shown rather than in the updater, which React may call twice.
  useEffect(() => {
    if (load.state === "loaded" && load.stale === undefined) loadedAt.current = new Date();
  }, [load]);
  return [load, set];
}

/** A failure in words, an alert, with Retry when there is something to retry. */
export function FailureAlert(props: {
  readonly message: string;
  readonly title?: string | undefined;
  readonly onRetry?: (() => unknown) | undefined;
  readonly intent?: "error" | "warning";
}) {
  const { t } = useTranslation();
  const { onRetry } = props;
  return (
    <MessageBar intent={props.intent ?? "error"} role="alert" layout="multiline">
      <MessageBarBody>
        {props.title && <MessageBarTitle>{props.title}</MessageBarTitle>}
        {props.message}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={() => void onRetry()}>{t("connection.retry")}</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

export function LoadStatus(props: {
  readonly load: PageLoad<object>;
  /** The spinner's label, e.g. "Loading users". */
  readonly loading: string;
  /** The last action's outcome, shown as a success. */
  readonly notice?: string | undefined;
  /** The last action's refusal, in the server's words. */
  readonly refusal?: string | undefined;
  /** Loads again: offered as Retry when the load failed, and run when the service is back. */
  readonly onRetry?: (() => unknown) | undefined;
}) {
  const { load, notice, refusal, onRetry } = props;
  const { generation } = useServiceStatus();
  const failed = load.state === "failed" || (load.state === "loaded" && load.stale !== undefined);
  const retry = useRef({ failed, onRetry });
  retry.current = { failed, onRetry };
  const seen = useRef(generation);
  useEffect(() => {
    if (generation === seen.current) return;
    seen.current = generation;
    if (retry.current.failed) void retry.current.onRetry?.();
  }, [generation]);

  return (
    <>
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {refusal && <FailureAlert message={refusal} />}
      {load.state === "loading" && <Spinner label={props.loading} />}
      {load.state === "failed" && <FailureAlert message={load.message} onRetry={onRetry} />}
      {load.state === "loaded" && load.stale && <StaleAlert stale={load.stale} onRetry={onRetry} />}
    </>
  );
}

/** "Couldn't refresh. Showing data from 14:02 (3 minutes ago)." with why, the age kept current. */
function StaleAlert(props: { readonly stale: Stale; readonly onRetry: (() => unknown) | undefined }) {
  const { t } = useTranslation();
  const { since, message } = props.stale;
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <FailureAlert
      intent="warning"
      title={t("connection.stale", { time: formatTime(since), ago: formatAgo(since, now) })}
      message={message}
      onRetry={props.onRetry}
    />
  );
}
