// Users named in a sentence: "Ada, Bo and Cy", or the first few and how many more, never ids.
import { formatList } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";

/** How many names a sentence lists before "and 3 more". */
const listed = 10;

export function namesText(names: readonly string[]): string {
  if (names.length <= listed) return formatList(names);
  return formatList([
    ...names.slice(0, listed),
    i18next.t("usersList.andMore", { count: names.length - listed }),
  ]);
}
