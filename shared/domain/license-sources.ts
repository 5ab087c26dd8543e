// Where a user's licenses come from (issue 19): assigned directly, or inherited from the security
// groups they are a member of. Each (product, source) is one entry, given or held back with the
// reason; the licenses the user holds — one per product, one seat each — follow from the entries
// given: a service plan is on when any source turns it on. Pure: the pipeline's `decide` asks it
// what a request leaves, and planLicenseChange then checks that as it checks any change.
import type { LicenseAssignmentError, LicenseSource, Membership } from "./model.js";
import { ProblemError } from "./problem.js";

export type { LicenseAssignmentError, LicenseSource, Membership } from "./model.js";

/** What a group gives its members: its licenses at a version (higher is newer). */
export interface GroupGrant {
  readonly groupId: string;
  readonly version: number;
  /** Whether whoever put the licenses on the group may license guests (R13). */
  readonly mayLicenseGuests: boolean;
  readonly licenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
}

/** The parts of a user this module reads and writes. */
export interface SourcedUser {
  readonly assignedLicenses: readonly {
    readonly skuId: string;
    readonly disabledPlans: readonly string[];
    readonly assignedAt: string;
  }[];
  /** Absent: every license the user holds is assigned directly (no group ever gave them one). */
  readonly licenseSources?: readonly LicenseSource[];
  readonly memberOf?: readonly Membership[];
}

/** The user's entries: stored ones, or one direct entry per license held. */
export function sourcesOf(user: SourcedUser): LicenseSource[] {
  if (user.licenseSources) return [...user.licenseSources];
  return user.assignedLicenses.map((license) => ({
    skuId: license.skuId,
    groupId: null,
    disabledPlans: [...license.disabledPlans],
    error: null,
    updatedAt: license.assignedAt,
  }));
}

/**
 * The licenses the given entries add up to, one per product in the order first given: a plan is
 * disabled only when every source giving the product disables it.
 */
export function effectiveLicenses(
  sources: readonly LicenseSource[],
): { skuId: string; disabledPlans: string[] }[] {
  const bySku = new Map<string, string[]>();
  for (const source of sources) {
    if (source.error !== null) continue;
    const disabled = bySku.get(source.skuId);
    bySku.set(
      source.skuId,
      disabled ? disabled.filter((plan) => source.disabledPlans.includes(plan)) : [...source.disabledPlans],
    );
  }
  return [...bySku].map(([skuId, disabledPlans]) => ({ skuId, disabledPlans }));
}

/** Graph's licenseAssignmentState.state of an entry, given what the user holds. */
export function assignmentState(
  source: LicenseSource,
  held: ReadonlySet<string>,
): "Active" | "ActiveWithError" | "Error" {
  if (source.error === null) return "Active";
  return held.has(source.skuId) ? "ActiveWithError" : "Error";
}

/** The error an entry records for a refusal of the pipeline's rules. */
export function assignmentErrorOf(error: ProblemError): LicenseAssignmentError {
  switch (error.code) {
    case "CountViolation":
    case "MutuallyExclusiveViolation":
    case "DependencyViolation":
    case "ProhibitedInUsageLocationViolation":
      return error.code;
    case "InvalidUsageLocation":
      // No country to give it in: as a country that is not sold in, until the user gets one.
      return "ProhibitedInUsageLocationViolation";
    default:
      return "Other";
  }
}

/** Is this the refusal of removing an inherited license (its items name the groups)? */
export const inheritedLicenseRefusal = (error: ProblemError): boolean =>
  error.code === "ValidationFailed" && (error.errors ?? []).some((e) => typeof e.groupId === "string");

/** Graph's answer to removing an inherited license through the user, naming the groups. */
export function inheritedLicense(skuId: string, groupIds: readonly string[]): ProblemError {
  return new ProblemError(
    "ValidationFailed",
    "User license is inherited from group membership and cannot be removed directly from the user. " +
      `(${skuId} comes from group ${groupIds.join(", ")}: remove the user from the group or the license ` +
      "from the group instead.)",
    groupIds.map((groupId) => ({
      path: "removeLicenses",
      skuId,
      groupId,
      message: "inherited from a group",
    })),
  );
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * The entries after a direct change: removals take the direct entry (a product only inherited is
 * Graph's 400), additions set it. Products are in the catalog's spelling already.
 */
export function withDirectChange(
  sources: readonly LicenseSource[],
  addLicenses: readonly { skuId: string; disabledPlans: readonly string[] }[],
  removeLicenses: readonly string[],
  now: string,
): LicenseSource[] {
  let next = [...sources];
  for (const skuId of removeLicenses) {
    const direct = next.some((s) => s.skuId === skuId && s.groupId === null);
    const groups = next.filter((s) => s.skuId === skuId && s.groupId !== null && s.error === null);
    if (!direct && groups.length > 0)
      throw inheritedLicense(
        skuId,
        groups.map((s) => s.groupId ?? ""),
      );
    next = next.filter((s) => !(s.skuId === skuId && s.groupId === null));
  }
  for (const { skuId, disabledPlans } of addLicenses) {
    const current = next.find((s) => s.skuId === skuId && s.groupId === null);
    if (current && same(current.disabledPlans, disabledPlans)) continue;
    const entry: LicenseSource = {
      skuId,
      groupId: null,
      disabledPlans: [...disabledPlans],
      error: null,
      updatedAt: now,
    };
    next = current ? next.map((s) => (s === current ? entry : s)) : [...next, entry];
  }
  return next;
}

/** The entries with a group's replaced by what it grants now, given (error null) until checked. */
export function withGrant(
  sources: readonly LicenseSource[],
  grant: GroupGrant,
  now: string,
): LicenseSource[] {
  const before = sources.filter((s) => s.groupId === grant.groupId);
  const kept = sources.filter((s) => s.groupId !== grant.groupId);
  return [
    ...kept,
    ...grant.licenses.map((license): LicenseSource => {
      const was = before.find((s) => s.skuId === license.skuId);
      const unchanged = was && was.error === null && same(was.disabledPlans, license.disabledPlans);
      return {
        skuId: license.skuId,
        groupId: grant.groupId,
        disabledPlans: [...license.disabledPlans],
        error: null,
        updatedAt: unchanged ? was.updatedAt : now,
      };
    }),
  ];
}

/**
 * A group's entries held back, all of them (one group, one member: all or nothing). An entry that
 * was already waiting for the same reason keeps its time, so the oldest waiting is served first.
 */
export function withGroupError(
  sources: readonly LicenseSource[],
  previous: readonly LicenseSource[],
  groupId: string,
  error: LicenseAssignmentError,
  now: string,
): LicenseSource[] {
  return sources.map((s) => {
    if (s.groupId !== groupId) return s;
    const was = previous.find((p) => p.groupId === groupId && p.skuId === s.skuId);
    return { ...s, error, updatedAt: was?.error === error ? was.updatedAt : now };
  });
}

/** The licenses to add and remove to bring `held` to `effective`: planLicenseChange's input. */
export function changeTo(
  held: readonly { readonly skuId: string }[],
  effective: readonly { skuId: string; disabledPlans: string[] }[],
): { addLicenses: readonly { skuId: string; disabledPlans: string[] }[]; removeLicenses: string[] } {
  return {
    addLicenses: effective,
    removeLicenses: held.map((l) => l.skuId).filter((skuId) => !effective.some((e) => e.skuId === skuId)),
  };
}

/** The groups whose entries of a user are held back, with the error and the products. */
export function groupErrors(
  sources: readonly LicenseSource[],
): Map<string, { error: LicenseAssignmentError; skuIds: string[]; since: string }> {
  const errors = new Map<string, { error: LicenseAssignmentError; skuIds: string[]; since: string }>();
  for (const s of sources) {
    if (s.groupId === null || s.error === null) continue;
    const found = errors.get(s.groupId);
    if (found) {
      found.skuIds.push(s.skuId);
      if (s.updatedAt < found.since) found.since = s.updatedAt;
    } else errors.set(s.groupId, { error: s.error, skuIds: [s.skuId], since: s.updatedAt });
  }
  return errors;
}

/** Products the user holds directly, as bulk operations and offboarding see them. */
export const directSkuIds = (user: SourcedUser): string[] =>
  sourcesOf(user)
    .filter((s) => s.groupId === null)
    .map((s) => s.skuId);
