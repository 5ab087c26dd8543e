// What happens to a user's data when a license is taken away or the user deleted, said before it is
// done: kept for the service's retention period (RETENTION_PERIOD, read from GET /api/console/config),
// until a date, then deleted for good. Unassign, Replace, Remove all and Delete show it.
import { MessageBar, MessageBarBody } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { consoleConfig } from "../api/console-config.js";
import { formatDate } from "../i18n/format.js";

/** The service's default (P30D), until the console has read its own. */
const defaultRetentionSeconds = 30 * 24 * 60 * 60;

/** RETENTION_PERIOD in seconds; the default when it cannot be read. */
const retentionSeconds = (): Promise<number> =>
  consoleConfig().then((config) => config?.retentionSeconds ?? defaultRetentionSeconds);

/** When data given up now goes for good, and the period in whole days (at least 1). */
export function useRetention(): { readonly until: Date; readonly days: number } {
  const [seconds, setSeconds] = useState(defaultRetentionSeconds);
  useEffect(() => {
    let live = true;
    void retentionSeconds().then((value) => live && setSeconds(value));
    return () => {
      live = false;
    };
  }, []);
  return {
    until: new Date(Date.now() + seconds * 1000),
    days: Math.max(1, Math.round(seconds / (24 * 60 * 60))),
  };
}

/**
 * The warning itself: `unassign` (a license taken away: the mailbox and files it gave are kept, then
 * deleted) or `delete` (the user can be restored with their data until the date).
 */
export function DataLossWarning(props: { readonly kind: "unassign" | "delete"; readonly count: number }) {
  const { t } = useTranslation();
  const { until, days } = useRetention();
  const values = { count: props.count, days, date: formatDate(until) };
  return (
    <MessageBar intent="warning">
      <MessageBarBody>
        {props.kind === "unassign" ? t("dataLoss.unassign", values) : t("dataLoss.delete", values)}
      </MessageBarBody>
    </MessageBar>
  );
}
