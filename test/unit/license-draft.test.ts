// The console's license draft (console/src/components/license-draft.ts), pure: what Save sends, and
// which of a user's licenses are theirs to change in the panel (direct) or their groups' (inherited).
import { describe, expect, it } from "vitest";
import type { components } from "../../console/src/api/schema.js";
import {
  directLicenses,
  licenseChanges,
  sourcesByProduct,
} from "../../console/src/components/license-draft.js";
import { plans, skus } from "../support/catalog-ids.js";

const groupId = "5b1c1a44-6e0e-4c1b-9d57-0f2f6f1a0c11";
const entry = (skuId: string, assignedByGroup: string | null, error: "None" | "CountViolation" = "None") => ({
  skuId,
  disabledPlans: [],
  state: error === "None" ? ("Active" as const) : ("Error" as const),
  error,
  assignedByGroup,
  lastUpdatedDateTime: "2026-01-01T00:00:00.000Z",
});
type User = components["schemas"]["User"];
const userWith = (states: User["licenseAssignmentStates"]): User =>
  ({ licenseAssignmentStates: states }) as unknown as User;

describe("the license draft", () => {
  it("sends changed and new products in addLicenses and unticked ones in removeLicenses", () => {
    const sharePoint = plans.SHAREPOINTSTANDARD.servicePlanId;
    const held = new Map([
      [skus.businessStandard, []],
      [skus.e3, []],
    ]);
    const draft = new Map([
      [skus.businessStandard, [sharePoint]],
      [skus.exchangePlan1, []],
    ]);
    expect(licenseChanges(held, draft)).toEqual({
      addLicenses: [
        { skuId: skus.businessStandard, disabledPlans: [sharePoint] },
        { skuId: skus.exchangePlan1, disabledPlans: [] },
      ],
      removeLicenses: [skus.e3],
    });
    expect(licenseChanges(held, new Map(held))).toEqual({ addLicenses: [], removeLicenses: [] });
  });

  it("offers only direct assignments to change: an inherited product is never sent for removal", () => {
    const user = userWith([
      entry(skus.businessStandard, null),
      entry(skus.businessStandard, groupId),
      entry(skus.e3, groupId),
      entry(skus.exchangePlan1, groupId, "CountViolation"),
    ]);
    const direct = directLicenses(user);
    expect([...direct.keys()]).toEqual([skus.businessStandard]);
    expect(licenseChanges(direct, direct)).toEqual({ addLicenses: [], removeLicenses: [] });
    expect(licenseChanges(direct, new Map()).removeLicenses).toEqual([skus.businessStandard]);

    const sources = sourcesByProduct(user);
    expect(sources.get(skus.businessStandard)?.direct).toEqual([]);
    expect(sources.get(skus.businessStandard)?.groups.map((g) => g.assignedByGroup)).toEqual([groupId]);
    expect(sources.get(skus.e3)?.direct).toBeUndefined();
    expect(sources.get(skus.exchangePlan1)?.groups[0]?.error).toBe("CountViolation");
  });
});
