// "Previous …", "Page N of M", "Next …": the buttons that step through a list shown a page at a time
// in the browser (a job's results, a preview's failures). They stay focusable at either end
// (disabledFocusable), so stepping to the last page from the keyboard keeps focus.
import { Button, makeStyles, Text, tokens } from "@fluentui/react-components";
import { useTranslation } from "react-i18next";

const useStyles = makeStyles({
  pager: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
});

export function PageButtons(props: {
  /** The page shown, from 0. */
  readonly page: number;
  readonly pages: number;
  readonly onPage: (page: number) => void;
  /** What the pages hold, for the buttons' names: "results" gives "Previous results". */
  readonly noun: "results" | "failures";
}) {
  const { page, pages, onPage, noun } = props;
  const styles = useStyles();
  const { t } = useTranslation();
  return (
    <div className={styles.pager}>
      <Button disabledFocusable={page === 0} onClick={() => onPage(page - 1)}>
        {noun === "results" ? t("pager.previousResults") : t("pager.previousFailures")}
      </Button>
      <Text>{t("pager.pageOf", { page: page + 1, pages })}</Text>
      <Button disabledFocusable={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        {noun === "results" ? t("pager.nextResults") : t("pager.nextFailures")}
      </Button>
    </div>
  );
}
