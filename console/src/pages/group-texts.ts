// What the Groups pages and the user panel say about group-based licensing, read from the catalog
// (../i18n/, sections `groups`, `licenseErrors` and `processing`) in the language shown now. Codes
// never reach the screen: each has its words there.
import type { components } from "../api/schema.js";
import { formatList } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";

type LicenseAssignmentState = components["schemas"]["User"]["licenseAssignmentStates"][number];
type ProcessingState = components["schemas"]["LicenseProcessingState"];

const t = (...args: Parameters<typeof i18next.t>) => i18next.t(...args);

/** Why a group's license is held back from a member (Graph's `licenseAssignmentStates[].error`). */
export const licenseErrorText = (error: Exclude<LicenseAssignmentState["error"], "None">): string =>
  t(`licenseErrors.${error}`);

export const processingStateText = (state: ProcessingState["state"]): string => t(`processing.${state}`);

/** A country's name in the language shown ("Norge", "Norway"), from Intl. */
const countryName = (code: string): string =>
  new Intl.DisplayNames([i18next.resolvedLanguage ?? "en"], { type: "region" }).of(code) ?? code;

export const groupTexts = {
  get breadcrumb() {
    return t("subscriptions.breadcrumb");
  },
  get pageTitle() {
    return t("groups.pageTitle");
  },
  get loadingGroups() {
    return t("groups.loadingGroups");
  },
  get noGroups() {
    return t("groups.noGroups");
  },
  get createGroup() {
    return t("groups.createGroup");
  },
  get create() {
    return t("groups.create");
  },
  get cancel() {
    return t("common.cancel");
  },
  get refresh() {
    return t("common.refresh");
  },
  get showMoreGroups() {
    return t("groups.showMoreGroups");
  },
  get groupsTable() {
    return t("groups.groupsTable");
  },
  get columnName() {
    return t("groups.columnName");
  },
  get columnDescription() {
    return t("groups.columnDescription");
  },
  get columnLicenses() {
    return t("groups.columnLicenses");
  },
  get columnProcessing() {
    return t("groups.columnProcessing");
  },
  get columnInError() {
    return t("groups.columnInError");
  },
  get displayName() {
    return t("groups.columnName");
  },
  get mailNickname() {
    return t("groups.mailNickname");
  },
  get mailNicknameHint() {
    return t("groups.mailNicknameHint");
  },
  get description() {
    return t("groups.columnDescription");
  },
  get notCreated() {
    return t("groups.notCreated");
  },
  created: (name: string) => t("groups.created", { name }),
  licensesCount: (count: number) => (count === 0 ? t("common.none") : t("groups.licensesCount", { count })),
  membersInError: (count: number) => (count === 0 ? t("common.none") : t("groups.membersCount", { count })),

  get loadingGroup() {
    return t("groups.loadingGroup");
  },
  get backToGroups() {
    return t("groups.backToGroups");
  },
  get noDescription() {
    return t("groups.noDescription");
  },
  get membersHeading() {
    return t("groups.membersHeading");
  },
  get loadingMembers() {
    return t("groups.loadingMembers");
  },
  get noMembers() {
    return t("groups.noMembers");
  },
  get membersTable() {
    return t("groups.membersHeading");
  },
  get columnUserName() {
    return t("groups.columnUserName");
  },
  get columnActions() {
    return t("groups.columnActions");
  },
  get addMembers() {
    return t("groups.addMembers");
  },
  addChosen: (count: number) => t("groups.addChosen", { count }),
  get alreadyMember() {
    return t("groups.alreadyMember");
  },
  added: (names: readonly string[]) => t("groups.added", { names: listOf(names) }),
  get remove() {
    return t("common.remove");
  },
  removeLabel: (name: string) => t("groups.removeLabel", { name }),
  removed: (name: string) => t("groups.removed", { name }),
  get showMoreMembers() {
    return t("groups.showMoreMembers");
  },

  get licensesHeading() {
    return t("groups.columnLicenses");
  },
  get licensesIntro() {
    return t("groups.licensesIntro");
  },
  licenseLabel: (name: string, available: number, enabled: number) =>
    t("groups.licenseLabel", { name, available, enabled }),
  get saveLicenses() {
    return t("groups.saveLicenses");
  },
  licensesSaved: (name: string) => t("groups.licensesSaved", { name }),
  get notSaved() {
    return t("groups.notSaved");
  },
  get noProducts() {
    return t("licenses.noProducts");
  },

  get processingHeading() {
    return t("groups.columnProcessing");
  },
  processingProgress: (processed: number, total: number) =>
    t("groups.processingProgress", { processed, count: total }),
  processingBar: (name: string, processed: number, total: number) =>
    t("groups.processingBar", { name, processed, total }),

  get errorsHeading() {
    return t("groups.errorsHeading");
  },
  get noErrors() {
    return t("groups.noErrors");
  },
  get errorsTable() {
    return t("groups.errorsHeading");
  },
  get columnProduct() {
    return t("groups.columnProduct");
  },
  get columnReason() {
    return t("groups.columnReason");
  },
  get reprocess() {
    return t("groups.reprocess");
  },
  reprocessLabel: (name: string) => t("groups.reprocessLabel", { name }),
  reprocessed: (name: string) => t("groups.reprocessed", { name }),
  stillInError: (name: string, reasons: string) => t("groups.stillInError", { name, reasons }),

  get deleteGroup() {
    return t("groups.deleteGroup");
  },
  deleteTitle: (name: string) => t("groups.deleteTitle", { name }),
  deleteText: (name: string) => t("groups.deleteText", { name }),
  get delete() {
    return t("common.delete");
  },
  get notDeleted() {
    return t("groups.notDeleted");
  },
  deleted: (name: string) => t("groups.deleted", { name }),
  deleteRefusedLicensed: (name: string, count: number) =>
    t("groups.deleteRefusedLicensed", { name, licenses: t("groups.licensesCount", { count }) }),
  get readOnly() {
    return t("groups.readOnly");
  },

  // The user panel.
  get assignedDirectly() {
    return t("groups.assignedDirectly");
  },
  get inheritedFrom() {
    return t("groups.inheritedFrom");
  },
  get aGroup() {
    return t("groups.aGroup");
  },
  notGivenBecause: (reason: string) => t("groups.notGivenBecause", { reason }),
  get lockedNote() {
    return t("groups.lockedNote");
  },
  get usageLocationHeading() {
    return t("groups.usageLocationHeading");
  },
  usageLocation: (code: string) => t("groups.usageLocation", { country: countryName(code), code }),
  usageLocationDefault: (code: string) =>
    t("groups.usageLocationDefault", { country: countryName(code), code }),
  get usageLocationNotSet() {
    return t("groups.usageLocationNotSet");
  },
  get usageLocationNone() {
    return t("groups.usageLocationNone");
  },
};

/** "Ada", "Ada and Bo", "Ada, Bo and Cy" in the language shown. */
export function listOf(names: readonly string[]): string {
  return formatList(names);
}
