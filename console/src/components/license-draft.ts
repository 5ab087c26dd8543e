// Licenses as an admin has them on screen (skuId → switched-off plans, absent: unticked) against
// what is held: the `assignLicense` body that makes the one into the other. Used by the user panel
// and by a group's page; and where a user's licenses come from (directly, or through which groups).
import type { components } from "../api/schema.js";

type User = components["schemas"]["User"];

/** skuId → the product's switched-off plans, for each product ticked. */
export type LicenseDraft = ReadonlyMap<string, readonly string[]>;

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id) => b.some((other) => other.toLowerCase() === id.toLowerCase()));

/** The products changed or added (with their plans) and those taken away. */
export function licenseChanges(
  held: LicenseDraft,
  draft: LicenseDraft,
): { addLicenses: { skuId: string; disabledPlans: string[] }[]; removeLicenses: string[] } {
  return {
    addLicenses: [...draft]
      .filter(([skuId, disabled]) => {
        const before = held.get(skuId);
        return before === undefined || !sameSet(before, disabled);
      })
      .map(([skuId, disabledPlans]) => ({ skuId, disabledPlans: [...disabledPlans] })),
    removeLicenses: [...held.keys()].filter((skuId) => !draft.has(skuId)),
  };
}

type AssignmentState = User["licenseAssignmentStates"][number];

/** One product's sources for a user: the direct assignment's plans, and each group's entry. */
export interface ProductSources {
  /** The switched-off plans of the direct assignment; undefined when not assigned directly. */
  readonly direct: readonly string[] | undefined;
  readonly groups: readonly AssignmentState[];
}

/** The user's sources per product, from `licenseAssignmentStates` (one entry per product and source). */
export function sourcesByProduct(user: User): ReadonlyMap<string, ProductSources> {
  const bySku = new Map<string, { direct: readonly string[] | undefined; groups: AssignmentState[] }>();
  for (const state of user.licenseAssignmentStates) {
    const entry = bySku.get(state.skuId) ?? { direct: undefined, groups: [] };
    if (state.assignedByGroup === null) entry.direct = state.disabledPlans;
    else entry.groups.push(state);
    bySku.set(state.skuId, entry);
  }
  return bySku;
}

/** The licenses assigned directly: what the user panel lets an admin change. */
export function directLicenses(user: User): LicenseDraft {
  return new Map(
    [...sourcesByProduct(user)].flatMap(([skuId, sources]) =>
      sources.direct === undefined ? [] : [[skuId, sources.direct] as const],
    ),
  );
}
