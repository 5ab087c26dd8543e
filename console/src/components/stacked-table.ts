// Tables at phone width (≤ 640 px): each row becomes a card of stacked lines, each line headed by its
// column's name (the cell's `data-label`), so nothing overlaps and nothing scrolls sideways. The
// header row stays in the table for screen readers, out of sight. Use: `className={stacked.table}` on
// the Table and `data-label={t(...)}` on each body cell whose column has a name.
import { makeStyles, tokens } from "@fluentui/react-components";

/** The media query of phone widths, for pages that lay out other things differently there too. */
export const phoneWidth = "(max-width: 640px)";

export const useStackedTable = makeStyles({
  table: {
    [`@media ${phoneWidth}`]: {
      display: "block",
      "& thead": {
        position: "absolute",
        width: "1px",
        height: "1px",
        overflow: "hidden",
        clipPath: "inset(50%)",
        whiteSpace: "nowrap",
      },
      "& tbody": { display: "block" },
      "& tbody > tr": {
        display: "block",
        height: "auto",
        padding: `${tokens.spacingVerticalS} 0`,
        borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
      },
      "& tbody > tr > td": {
        display: "flex",
        flexWrap: "wrap",
        alignItems: "center",
        gap: tokens.spacingHorizontalS,
        width: "auto",
        height: "auto",
        minHeight: "32px",
        overflowWrap: "anywhere",
      },
      "& tbody > tr > td[data-label]::before": {
        content: "attr(data-label)",
        flexBasis: "35%",
        flexShrink: 0,
        fontWeight: tokens.fontWeightSemibold,
        color: tokens.colorNeutralForeground2,
      },
    },
  },
});
