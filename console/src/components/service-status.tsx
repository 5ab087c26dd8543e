// Whether the service can be reached, for the whole console: the API client reports each request that
// finds it out of reach (./api/client.ts) and each answer; while it is out of reach, an alert says so
// with Retry, and GET /api/health (public) is asked every `healthPollMs` until it answers. Then a
// notice says it is back and `generation` goes up, which the pages' failed loads follow (LoadStatus).
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from "@fluentui/react-components";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { createApiClient, failureOf, isOutOfReach } from "../api/client.js";

/** How often the console asks whether the service is back, while it is out of reach. */
export const healthPollMs = 3_000;

type Reach = "up" | "down" | "back";

export interface ServiceStatus {
  readonly reach: Reach;
  /** Goes up each time the service is back: what could not load then loads again. */
  readonly generation: number;
  readonly reportUnreachable: () => void;
  readonly reportAnswer: () => void;
  /** Asks GET /api/health now. */
  readonly check: () => Promise<void>;
  readonly dismiss: () => void;
}

const noop = () => {};
const ServiceStatusContext = createContext<ServiceStatus>({
  reach: "up",
  generation: 0,
  reportUnreachable: noop,
  reportAnswer: noop,
  check: async () => {},
  dismiss: noop,
});

export const useServiceStatus = (): ServiceStatus => useContext(ServiceStatusContext);

export function ServiceStatusProvider(props: { readonly children: ReactNode }) {
  const [reach, setReach] = useState<Reach>("up");
  const [generation, setGeneration] = useState(0);

  const reportUnreachable = useCallback(() => setReach("down"), []);
  const reportAnswer = useCallback(() => setReach((now) => (now === "down" ? "back" : now)), []);
  useEffect(() => {
    if (reach === "back") setGeneration((n) => n + 1);
  }, [reach]);
  // Its own client without a token: health is public, and its answers report like any other's.
  const health = useMemo(
    () => createApiClient({ token: () => undefined, onUnauthorized: noop, onAnswer: reportAnswer }),
    [reportAnswer],
  );
  const check = useCallback(async () => {
    const { response } = await health.GET("/api/health");
    if (isOutOfReach(failureOf(response))) setReach("down");
  }, [health]);
  const dismiss = useCallback(() => setReach((now) => (now === "back" ? "up" : now)), []);

  useEffect(() => {
    if (reach !== "down") return;
    const timer = setInterval(() => void check(), healthPollMs);
    return () => clearInterval(timer);
  }, [reach, check]);

  const status = useMemo(
    () => ({ reach, generation, reportUnreachable, reportAnswer, check, dismiss }),
    [reach, generation, reportUnreachable, reportAnswer, check, dismiss],
  );
  return <ServiceStatusContext.Provider value={status}>{props.children}</ServiceStatusContext.Provider>;
}

/** The console's alert while the service is out of reach, and its notice once it is back. */
export function ServiceStatusAlert() {
  const { t } = useTranslation();
  const { reach, check, dismiss } = useServiceStatus();
  const [checking, setChecking] = useState(false);
  if (reach === "up") return null;
  if (reach === "back") {
    return (
      <MessageBar intent="success" role="status">
        <MessageBarBody>
          <MessageBarTitle>{t("connection.backTitle")}</MessageBarTitle>
          {t("connection.backBody")}
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={dismiss}>{t("connection.dismiss")}</Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
  return (
    <MessageBar intent="error" role="alert" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{t("connection.downTitle")}</MessageBarTitle>
        {t("connection.downBody", { seconds: healthPollMs / 1000 })}
      </MessageBarBody>
      <MessageBarActions>
        <Button
          // Focusable while checking: a disabled button drops focus to <body>.
          disabledFocusable={checking}
          onClick={() => {
            setChecking(true);
            void check().finally(() => setChecking(false));
          }}
        >
          {checking ? t("connection.checking") : t("connection.retry")}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
