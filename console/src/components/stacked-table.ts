// Tables at phone width (≤ 640 px): each row becomes a card of stacked lines, each line headed by its
// column's name (the cell's `data-label`), so nothing overlaps and nothing scrolls sideways. The
// header row stays in the table for screen readers, out of sight but for a header cell holding a
// control. Use: `className={stacked.table}` on the Table and `data-label={t(...)}` on each body cell
// whose column has a name; a cell without one (actions, a row's checkbox) spans the card's width.
import { makeStyles, tokens } from "@fluentui/react-components";
import { phoneWidth } from "./phone-width.js";

export const useStackedTable = makeStyles({
  table: {
    [`@media ${phoneWidth}`]: {
      display: "block",
      "& thead": { display: "block" },
      "& thead > tr": { display: "block", height: "auto", borderBottom: "none" },
      "& thead > tr > th": {
        position: "absolute",
        width: "1px",
        height: "1px",
        overflow: "hidden",
        clipPath: "inset(50%)",
        whiteSpace: "nowrap",
      },
      // A header cell holding a control (a "select all" checkbox) stays in sight: hidden, it would
      // still take focus.
      "& thead > tr > th:has(input, button, select)": {
        position: "static",
        display: "block",
        width: "auto",
        height: "auto",
        overflow: "visible",
        clipPath: "none",
      },
      "& tbody": { display: "block" },
      "& tbody > tr": {
        display: "block",
        height: "auto",
        padding: `${tokens.spacingVerticalS} 0`,
        borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      },
      // Two columns: the label, then the value; a cell's elements all go under one another in the
      // second, those of a cell without a label (its actions) across both.
      "& tbody > tr > td": {
        display: "grid",
        gridTemplateColumns: "minmax(0, 35%) minmax(0, 1fr)",
        alignItems: "baseline",
        columnGap: tokens.spacingHorizontalS,
        rowGap: tokens.spacingVerticalXXS,
        width: "auto",
        height: "auto",
        minHeight: "32px",
        padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`,
        overflowWrap: "anywhere",
      },
      "& tbody > tr > td > *": { gridColumn: "2", minWidth: 0 },
      "& tbody > tr > td:not([data-label]) > *": { gridColumn: "1 / -1", justifySelf: "start" },
      "& tbody > tr > td[data-label]::before": {
        // The label is for the eye: `/ ""` gives it no alternative text, so a cell's accessible name
        // stays its content (screen readers have the column header; names in tests stay the same).
        content: 'attr(data-label) / ""',
        gridColumn: "1",
        fontWeight: tokens.fontWeightSemibold,
        color: tokens.colorNeutralForeground2,
      },
    },
  },
});
