// What the Groups pages and the user panel say about group-based licensing, in one place, so that
// the words can move into a string catalog (issue 20) as they are. Codes never reach the screen:
// each has its words here.
import { countryName } from "../../../shared/domain/countries.js";
import type { components } from "../api/schema.js";

type LicenseAssignmentState = components["schemas"]["User"]["licenseAssignmentStates"][number];
type ProcessingState = components["schemas"]["LicenseProcessingState"];

/** Why a group's license is held back from a member (Graph's `licenseAssignmentStates[].error`). */
export const licenseErrorText: Record<Exclude<LicenseAssignmentState["error"], "None">, string> = {
  CountViolation: "Not enough licenses",
  MutuallyExclusiveViolation: "Conflicts with another license the user has",
  DependencyViolation: "A service it needs is switched off or missing",
  ProhibitedInUsageLocationViolation: "Not available in the user's usage location",
  UniquenessViolation: "Conflicts with another license the user has",
  Other: "Could not be given (for a guest, only a Global Administrator's group can license them)",
};

export const processingStateText: Record<ProcessingState["state"], string> = {
  QueuedForProcessing: "Queued for processing",
  ProcessingInProgress: "Processing",
  ProcessingComplete: "Processing complete",
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export const groupTexts = {
  pageTitle: "Groups",
  loadingGroups: "Loading groups",
  noGroups: "No groups yet.",
  createGroup: "Create a group",
  create: "Create",
  cancel: "Cancel",
  refresh: "Refresh",
  showMoreGroups: "Show more groups",
  groupsTable: "Security groups",
  columnName: "Name",
  columnDescription: "Description",
  columnLicenses: "Licenses",
  columnProcessing: "License processing",
  columnInError: "Members in error",
  displayName: "Name",
  mailNickname: "Mail nickname",
  mailNicknameHint: "Letters and digits; made from the name unless you change it",
  description: "Description",
  notCreated: "Not created",
  created: (name: string) => `Created the group ${name}.`,
  licensesCount: (count: number) => (count === 0 ? "None" : plural(count, "license", "licenses")),
  membersInError: (count: number) => (count === 0 ? "None" : plural(count, "member", "members")),

  loadingGroup: "Loading the group",
  backToGroups: "All groups",
  noDescription: "No description",
  membersHeading: "Members",
  loadingMembers: "Loading members",
  noMembers: "This group has no members yet.",
  membersTable: "Members",
  columnUserName: "Username",
  columnActions: "Actions",
  addMembers: "Add members",
  addChosen: (count: number) => `Add ${plural(count, "member", "members")}`,
  alreadyMember: "already a member",
  added: (names: readonly string[]) => `Added ${listOf(names)} to the group.`,
  remove: "Remove",
  removeLabel: (name: string) => `Remove ${name} from the group`,
  removed: (name: string) => `Removed ${name} from the group.`,
  showMoreMembers: "Show more members",

  licensesHeading: "Licenses",
  licensesIntro: "Every member gets the licenses ticked here, with the services switched on.",
  licenseLabel: (name: string, available: number, enabled: number) =>
    `${name} (${available} of ${enabled} licenses available)`,
  saveLicenses: "Save licenses",
  licensesSaved: (name: string) => `Saved the licenses of ${name}: its members get them in the background.`,
  notSaved: "Not saved",
  noProducts: "This organization has no products yet.",

  processingHeading: "License processing",
  processingProgress: (processed: number, total: number) =>
    `${processed} of ${plural(total, "member", "members")} processed`,
  processingBar: (name: string, processed: number, total: number) =>
    `${name}: licenses processed for ${processed} of ${total} members`,

  errorsHeading: "Members with license errors",
  noErrors: "Every member has the group's licenses.",
  errorsTable: "Members with license errors",
  columnProduct: "Product",
  columnReason: "Why",
  reprocess: "Reprocess",
  reprocessLabel: (name: string) => `Reprocess ${name}`,
  reprocessed: (name: string) => `Reprocessed ${name}: the group's licenses were applied again.`,
  stillInError: (name: string, reasons: string) => `Reprocessed ${name}; still not given: ${reasons}.`,

  deleteGroup: "Delete group",
  deleteTitle: (name: string) => `Delete ${name}?`,
  deleteText: (name: string) =>
    `Deleting ${name} removes its members from it. They keep the licenses assigned to them directly.`,
  delete: "Delete",
  notDeleted: "Not deleted",
  deleted: (name: string) => `Deleted the group ${name}.`,
  deleteRefusedLicensed: (name: string, count: number) =>
    `${name} cannot be deleted while it has ${plural(count, "license", "licenses")}: its members would lose them. ` +
    "Untick its licenses under Licenses, save, and delete it then.",
  readOnly: "Your role can see this group but not change it.",

  // The user panel.
  assignedDirectly: "Assigned directly",
  inheritedFrom: "Inherited from",
  aGroup: "a group",
  notGivenBecause: (reason: string) => `— Not given: ${reason}.`,
  lockedNote: "Inherited licenses are changed on their group, not here.",
  usageLocationHeading: "Usage location",
  usageLocation: (code: string) => `${countryName(code)} (${code})`,
  usageLocationDefault: (code: string) =>
    `Not set: the organization's default, ${countryName(code)} (${code}), applies.`,
  usageLocationNotSet: "Not set.",
  usageLocationNone: "Not set, and the organization has no default: licenses cannot be assigned.",
} as const;

/** "Ada", "Ada and Bo", "Ada, Bo and Cy". */
export function listOf(names: readonly string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
