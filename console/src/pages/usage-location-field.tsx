// The user panel's usage location: shown in words (the organization's default when the user has
// none), and for a role that may change users an Edit that picks a country by its name in the
// language shown (the ISO 3166-1 alpha-2 codes the service takes) or none, saved with PATCH
// /api/users/{id} under the user's ETag (null clears it).
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  makeStyles,
  Select,
  Subtitle2,
  Text,
  tokens,
} from "@fluentui/react-components";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { countryCodes } from "../../../shared/domain/countries.js";
import { type ApiClient, refusalText } from "../api/client.js";
import { countryName, intlLocale } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { groupTexts } from "./group-texts.js";

const useStyles = makeStyles({
  section: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  line: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalM },
  buttons: { display: "flex", gap: tokens.spacingHorizontalS },
});

export interface UsageLocationFieldProps {
  readonly api: ApiClient;
  readonly userId: string;
  readonly displayName: string;
  readonly etag: string | undefined;
  /** The user's own usage location; null when not set. */
  readonly usageLocation: string | null;
  /** The organization's default usage location: null when it has none, undefined when never set up. */
  readonly defaultUsageLocation: string | null | undefined;
  readonly canEdit: boolean;
  /** Saved: what to say; the panel reads the user again (a license held back may now be given). */
  readonly onSaved: (message: string) => void;
  /** Someone else changed the user since it was read (412): the panel offers to reload. */
  readonly onStale: (message: string) => void;
}

export function UsageLocationField(props: UsageLocationFieldProps) {
  const { api, userId, usageLocation, defaultUsageLocation } = props;
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [choice, setChoice] = useState(usageLocation ?? "");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const lineRef = useRef<HTMLDivElement>(null);
  const giveFocusBack = useRef(false);
  // The select went: focus goes back to the Edit button once it is there again, not to <body>.
  useEffect(() => {
    if (editing || !giveFocusBack.current) return;
    giveFocusBack.current = false;
    lineRef.current?.querySelector("button")?.focus();
  }, [editing]);

  // Every assigned code, by its name in the language shown, in that language's order.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the names follow the language shown.
  const countries = useMemo(() => {
    const collator = new Intl.Collator(intlLocale());
    return [...countryCodes]
      .map((code) => ({ code, name: countryName(code) }))
      .sort((a, b) => collator.compare(a.name, b.name));
  }, [i18n.language]);

  const stopEditing = () => {
    giveFocusBack.current = true;
    setEditing(false);
    setRefusal(undefined);
  };

  const save = async () => {
    setBusy(true);
    setRefusal(undefined);
    const chosen = choice === "" ? null : choice;
    const { error, response } = await api.PATCH("/api/users/{id}", {
      params: { path: { id: userId }, header: props.etag ? { "If-Match": props.etag } : {} },
      body: { usageLocation: chosen },
    });
    setBusy(false);
    if (response.status === 412) {
      stopEditing();
      return props.onStale(refusalText(error, response));
    }
    if (!response.ok) return setRefusal(refusalText(error, response));
    stopEditing();
    props.onSaved(
      chosen === null
        ? t("userPanelEdit.usageLocationCleared", { name: props.displayName })
        : t("userPanelEdit.usageLocationSaved", {
            name: props.displayName,
            location: groupTexts.usageLocation(chosen),
          }),
    );
  };

  return (
    <section className={styles.section} aria-labelledby="user-panel-usage-location">
      <Subtitle2 as="h3" id="user-panel-usage-location" className={styles.heading}>
        {t("groups.usageLocationHeading")}
      </Subtitle2>
      {!editing && (
        <div className={styles.line} ref={lineRef}>
          <Text>{usageLocationText(usageLocation, defaultUsageLocation)}</Text>
          {props.canEdit && (
            <Button
              size="small"
              aria-label={t("userPanelEdit.editUsageLocation")}
              onClick={() => {
                setChoice(usageLocation ?? "");
                setEditing(true);
              }}
            >
              {t("userPanelEdit.edit")}
            </Button>
          )}
        </div>
      )}
      {editing && (
        <>
          <Field label={t("groups.usageLocationHeading")} hint={t("userPanelEdit.usageLocationHint")}>
            <Select
              // Focus moves here from the Edit button that went.
              autoFocus
              value={choice}
              onChange={(_, data) => setChoice(data.value)}
            >
              <option value="">{notSetText(defaultUsageLocation)}</option>
              {countries.map(({ code, name }) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </Select>
          </Field>
          {refusal && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>{t("userPanelEdit.usageLocationNotSaved")}</MessageBarTitle>
                {refusal}
              </MessageBarBody>
            </MessageBar>
          )}
          <div className={styles.buttons}>
            <Button
              appearance="primary"
              disabledFocusable={busy || choice === (usageLocation ?? "")}
              onClick={() => void save()}
            >
              {t("userPanelEdit.saveUsageLocation")}
            </Button>
            <Button onClick={stopEditing}>{t("common.cancel")}</Button>
          </div>
        </>
      )}
    </section>
  );
}

/** The picker's "none": what applies then, the organization's default when it has one. */
function notSetText(organization: string | null | undefined): string {
  return organization
    ? i18next.t("userPanelEdit.notSetUsesDefault", { country: countryName(organization) })
    : i18next.t("userPanelEdit.notSet");
}

function usageLocationText(own: string | null, organization: string | null | undefined): string {
  if (own) return groupTexts.usageLocation(own);
  if (organization) return groupTexts.usageLocationDefault(organization);
  return organization === null
    ? i18next.t("groups.usageLocationNone")
    : i18next.t("groups.usageLocationNotSet");
}
