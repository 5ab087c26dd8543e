// What the Groups pages and the user panel say about group-based licensing, read from the catalog
// (../i18n/, sections `groups`, `licenseErrors` and `processing`) in the language shown now. Codes
// never reach the screen: each has its words there.
import type { components } from "../api/schema.js";
import { countryName, formatList } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";

type LicenseAssignmentState = components["schemas"]["User"]["licenseAssignmentStates"][number];
type ProcessingState = components["schemas"]["LicenseProcessingState"];

const t = (...args: Parameters<typeof i18next.t>) => i18next.t(...args);

/** Why a group's license is held back from a member (Graph's `licenseAssignmentStates[].error`). */
export const licenseErrorText = (error: Exclude<LicenseAssignmentState["error"], "None">): string =>
  t(`licenseErrors.${error}`);

export const processingStateText = (state: ProcessingState["state"]): string => t(`processing.${state}`);

export const groupTexts = {
  created: (name: string) => t("groups.created", { name }),
  licensesCount: (count: number) => (count === 0 ? t("common.none") : t("groups.licensesCount", { count })),
  membersInError: (count: number) => (count === 0 ? t("common.none") : t("groups.membersCount", { count })),

  addChosen: (count: number) => t("groups.addChosen", { count }),
  added: (names: readonly string[]) => t("groups.added", { names: listOf(names) }),
  removeLabel: (name: string) => t("groups.removeLabel", { name }),
  removed: (name: string) => t("groups.removed", { name }),

  licenseLabel: (name: string, available: number, enabled: number) =>
    t("groups.licenseLabel", { name, available, enabled }),
  licensesSaved: (name: string) => t("groups.licensesSaved", { name }),

  processingProgress: (processed: number, total: number) =>
    t("groups.processingProgress", { processed, count: total }),
  processingBar: (name: string, processed: number, total: number) =>
    t("groups.processingBar", { name, processed, total }),

  reprocessLabel: (name: string) => t("groups.reprocessLabel", { name }),
  reprocessed: (name: string) => t("groups.reprocessed", { name }),
  stillInError: (name: string, reasons: string) => t("groups.stillInError", { name, reasons }),

  deleteTitle: (name: string) => t("groups.deleteTitle", { name }),
  deleteText: (name: string) => t("groups.deleteText", { name }),
  deleted: (name: string) => t("groups.deleted", { name }),
  deleteRefusedLicensed: (name: string, count: number) =>
    t("groups.deleteRefusedLicensed", { name, licenses: t("groups.licensesCount", { count }) }),
  // The user panel.
  notGivenBecause: (reason: string) => t("groups.notGivenBecause", { reason }),
  usageLocation: (code: string) => t("groups.usageLocation", { country: countryName(code), code }),
  usageLocationDefault: (code: string) =>
    t("groups.usageLocationDefault", { country: countryName(code), code }),
};

/** "Ada", "Ada and Bo", "Ada, Bo and Cy" in the language shown. */
export function listOf(names: readonly string[]): string {
  return formatList(names);
}
