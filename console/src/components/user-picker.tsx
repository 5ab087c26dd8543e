// A people picker: type the start of a name or a UPN, choose from what the API finds (`startswith`
// on either), and the chosen users are listed with a button each to take them off again. Used by the
// product page's assign dialog and by the Bulk page.
import { Button, Combobox, Field, makeStyles, Option, Text, tokens } from "@fluentui/react-components";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ApiClient } from "../api/client.js";
import { searchFilters, type UserSummary, usersPage } from "./user-search.js";

const useStyles = makeStyles({
  chosen: {
    listStyle: "none",
    margin: 0,
    padding: 0,
    display: "flex",
    flexWrap: "wrap",
    gap: tokens.spacingHorizontalS,
  },
  person: {
    display: "flex",
    alignItems: "center",
    gap: tokens.spacingHorizontalXS,
    padding: `0 0 0 ${tokens.spacingHorizontalS}`,
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorNeutralBackground3,
  },
  caption: { color: tokens.colorNeutralForeground3 },
});

export interface UserPickerProps {
  readonly api: ApiClient;
  readonly label: string;
  readonly chosen: readonly UserSummary[];
  readonly onChange: (chosen: readonly UserSummary[]) => void;
  /** Why a user found cannot be chosen (e.g. "already has it"), or undefined if they can. */
  readonly unavailable?: (user: UserSummary) => string | undefined;
  /** Show the chosen users (the Bulk page lists them itself). */
  readonly showChosen?: boolean;
}

export function UserPicker(props: UserPickerProps) {
  const { api, chosen, onChange, unavailable } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  const [text, setText] = useState("");
  // Open while there is text to search for (typing, pasting or filling it in alike).
  const [open, setOpen] = useState(false);
  const [found, setFound] = useState<readonly UserSummary[]>([]);
  const [state, setState] = useState<"idle" | "searching" | "done">("idle");
  const [refusal, setRefusal] = useState<string>();
  // Where focus goes when a chosen user's Remove button, which has it, goes away: left alone, it falls
  // to <body> and Fluent's dialog hands it to whatever opened the dialog, outside it.
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const query = text.trim();
    if (!query) {
      setFound([]);
      setState("idle");
      return;
    }
    let current = true;
    setState("searching");
    // Wait for a pause in typing before asking.
    const timer = setTimeout(() => {
      const cursors = searchFilters(query).map((filter) => ({ filter }));
      void usersPage(api, cursors, { top: 10 }).then((page) => {
        if (!current) return;
        setState("done");
        if ("refusal" in page) return setRefusal(page.refusal);
        setRefusal(undefined);
        setFound(page.users);
      });
    }, 250);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text]);

  const chosenIds = new Set(chosen.map((user) => user.id));
  const choose = (id: string | undefined) => {
    const user = found.find((candidate) => candidate.id === id);
    if (!user || chosenIds.has(user.id) || unavailable?.(user)) return;
    onChange([...chosen, user]);
    setText("");
  };

  const hint =
    refusal ??
    (state === "searching"
      ? t("picker.searching")
      : state === "done" && found.length === 0
        ? t("picker.noMatch", { search: text.trim() })
        : t("picker.hint"));

  return (
    <>
      <Field label={props.label} hint={hint} validationState={refusal ? "error" : "none"}>
        <Combobox
          input={{ ref: input }}
          freeform
          value={text}
          placeholder={t("picker.placeholder")}
          open={open && text.trim() !== "" && found.length > 0}
          onOpenChange={(_, data) => setOpen(data.open)}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onOptionSelect={(_, data) => choose(data.optionValue)}
          selectedOptions={[]}
        >
          {found.map((user) => {
            const why = chosenIds.has(user.id) ? "chosen" : unavailable?.(user);
            return (
              <Option
                key={user.id}
                value={user.id}
                text={`${user.displayName} (${user.userPrincipalName})`}
                disabled={why !== undefined}
              >
                {user.displayName} ({user.userPrincipalName}){why ? ` — ${why}` : ""}
              </Option>
            );
          })}
        </Combobox>
      </Field>
      {props.showChosen !== false && chosen.length > 0 && (
        <ul className={styles.chosen} aria-label={`${props.label}: chosen`}>
          {chosen.map((user) => (
            <li key={user.id} className={styles.person}>
              <Text>{user.displayName}</Text>
              <Button
                appearance="subtle"
                size="small"
                aria-label={t("picker.remove", { name: user.displayName })}
                onClick={() => {
                  input.current?.focus();
                  onChange(chosen.filter((other) => other.id !== user.id));
                }}
              >
                ✕
              </Button>
            </li>
          ))}
        </ul>
      )}
      {props.showChosen !== false && chosen.length === 0 && (
        <Text size={200} className={styles.caption}>
          No user chosen yet.
        </Text>
      )}
    </>
  );
}
