// What one assignLicense request does to one user (R7–R9, R13, R15): licenses, seat deltas and refusals.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Product, planDependencies, planExclusions, plans } from "../../shared/domain/catalog.js";
import {
  type LicenseChange,
  type LicenseChangeRequest,
  planLicenseChange,
} from "../../shared/domain/license-change.js";
import type { AssignedLicense, User } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { productOf } from "../support/catalog-ids.js";
import { problemFrom } from "../support/problem.js";
import { testUser } from "../support/users.js";

const e3 = productOf("ENTERPRISEPACK");
const exchangePlan1 = productOf("EXCHANGESTANDARD");
const appsForBusiness = productOf("O365_BUSINESS");
const businessBasic = productOf("O365_BUSINESS_ESSENTIALS");
const audioConferencing = productOf("MCOMEETADV");

const earlier = "2024-01-10T09:00:00.000Z";
const now = "2024-06-01T12:00:00.000Z";

const user = testUser;

function held(product: Product, overrides: Partial<AssignedLicense> = {}): AssignedLicense {
  const disabledPlans = overrides.disabledPlans ?? [];
  const planStatus = Object.fromEntries(
    product.servicePlans
      .filter((plan) => !disabledPlans.includes(plan.servicePlanId))
      .map((plan) => [plan.servicePlanId, "Success" as const]),
  );
  return { skuId: product.skuId, disabledPlans, assignedAt: earlier, planStatus, ...overrides };
}

function change(overrides: Partial<LicenseChangeRequest> = {}): LicenseChange {
  return planLicenseChange({
    user: user(),
    addLicenses: [],
    removeLicenses: [],
    mayLicenseGuests: false,
    selfServiceSubscriptionIds: new Set(),
    now,
    newPlanStatus: "PendingProvisioning",
    ...overrides,
  });
}

const licenseOf = (result: LicenseChange, product: Product): AssignedLicense | undefined =>
  result.assignedLicenses.find((license) => license.skuId === product.skuId);

describe("assigning a license", () => {
  it("switches every service plan of the license on by default and takes one seat", () => {
    const result = change({ addLicenses: [{ skuId: e3.skuId }] });
    expect(result.assignedLicenses).toHaveLength(1);
    const license = licenseOf(result, e3);
    expect(license?.disabledPlans).toEqual([]);
    expect(license?.assignedAt).toBe(now);
    expect(Object.keys(license?.planStatus ?? {}).sort()).toEqual(
      e3.servicePlans.map((plan) => plan.servicePlanId).sort(),
    );
    expect(result.added).toEqual([e3.skuId]);
    expect([...result.seatDelta]).toEqual([[e3.skuId, 1]]);
    expect(result.removed).toEqual([]);
    expect(result.plansChanged).toEqual([]);
  });

  it("gives 'other' plans Success at once and every other plan the newPlanStatus", () => {
    const license = licenseOf(change({ addLicenses: [{ skuId: e3.skuId }], newPlanStatus: "Error" }), e3);
    for (const plan of e3.servicePlans) {
      expect(license?.planStatus[plan.servicePlanId], plan.servicePlanName).toBe(
        plan.provisioningKind === "other" ? "Success" : "Error",
      );
    }
    expect(license?.planStatus[plans.EXCHANGE_S_ENTERPRISE.servicePlanId]).toBe("Error");
    expect(license?.planStatus[plans.SWAY.servicePlanId]).toBe("Success");
  });

  it("accepts a SKU id in upper case and stores the catalog's id", () => {
    const result = change({ addLicenses: [{ skuId: e3.skuId.toUpperCase() }] });
    expect(result.added).toEqual([e3.skuId]);
    expect(licenseOf(result, e3)).toBeDefined();
  });

  it("records disabledPlans with the catalog's ids and leaves them out of planStatus", () => {
    // "all services except SharePoint Online" needs Office for the web off too (it depends on SharePoint).
    const sharePoint = plans.SHAREPOINTENTERPRISE.servicePlanId;
    const officeWeb = plans.SHAREPOINTWAC.servicePlanId;
    const result = change({
      addLicenses: [{ skuId: e3.skuId, disabledPlans: [officeWeb.toUpperCase(), sharePoint] }],
    });
    const license = licenseOf(result, e3);
    expect([...(license?.disabledPlans ?? [])].sort()).toEqual([sharePoint, officeWeb].sort());
    expect(license?.planStatus).not.toHaveProperty(sharePoint);
    expect(license?.planStatus).not.toHaveProperty(officeWeb);
    expect(Object.keys(license?.planStatus ?? {})).toHaveLength(e3.servicePlans.length - 2);
  });

  it("refuses a disabled plan that the license does not contain with ValidationFailed naming it", () => {
    const foreign = plans.OFFICE_BUSINESS.servicePlanId; // Business apps, not in E3
    const problem = problemFrom(() =>
      change({ addLicenses: [{ skuId: e3.skuId, disabledPlans: [foreign] }] }),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.status).toBe(400);
    expect(problem.detail).toContain(foreign);
    expect(problem.detail).toContain(e3.displayName);
    expect(problem.errors).toEqual([
      { path: "addLicenses.disabledPlans", message: `unknown service plan ${foreign}` },
    ]);
  });

  it("refuses a SKU the catalog does not know with NotFound", () => {
    const unknown = "00000000-0000-0000-0000-0000000000aa";
    const problem = problemFrom(() => change({ addLicenses: [{ skuId: unknown }] }));
    expect(problem.code).toBe("NotFound");
    expect(problem.status).toBe(404);
    expect(problem.detail).toContain(unknown);
  });

  it("refuses the same SKU twice in addLicenses, whatever its case", () => {
    const problem = problemFrom(() =>
      change({ addLicenses: [{ skuId: e3.skuId }, { skuId: e3.skuId.toUpperCase() }] }),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.errors?.[0]).toMatchObject({ path: "addLicenses" });
  });

  it("refuses the same SKU twice in removeLicenses", () => {
    const problem = problemFrom(() =>
      change({
        user: user({ assignedLicenses: [held(e3)] }),
        removeLicenses: [e3.skuId, e3.skuId],
      }),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.errors?.[0]).toMatchObject({ path: "removeLicenses" });
  });

  it("refuses a SKU that is both added and removed", () => {
    const problem = problemFrom(() =>
      change({ addLicenses: [{ skuId: e3.skuId }], removeLicenses: [e3.skuId.toUpperCase()] }),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.detail).toContain("both addLicenses and removeLicenses");
  });

  it("does not change the user it was given", () => {
    const before = user({ assignedLicenses: [held(e3)] });
    const snapshot = structuredClone(before);
    change({ user: before, addLicenses: [{ skuId: businessBasic.skuId }], removeLicenses: [e3.skuId] });
    expect(before).toEqual(snapshot);
  });
});

describe("changing the plans of a license the user holds (R8)", () => {
  const exchange = plans.EXCHANGE_S_ENTERPRISE.servicePlanId;
  const teams = plans.TEAMS1.servicePlanId;
  const sway = plans.SWAY.servicePlanId;

  it("reports plansChanged with no seat delta and keeps the assignment date", () => {
    const current = user({ assignedLicenses: [held(e3)] });
    const result = change({ user: current, addLicenses: [{ skuId: e3.skuId, disabledPlans: [teams] }] });
    expect(result.plansChanged).toEqual([e3.skuId]);
    expect(result.added).toEqual([]);
    expect(result.seatDelta.size).toBe(0);
    const license = licenseOf(result, e3);
    expect(license?.disabledPlans).toEqual([teams]);
    expect(license?.assignedAt).toBe(earlier);
  });

  it("keeps the previous status of plans that stay on and gives re-enabled plans a new status", () => {
    const current = user({
      assignedLicenses: [
        held(e3, {
          disabledPlans: [teams, sway],
          planStatus: { [exchange]: "Error" },
        }),
      ],
    });
    const result = change({ user: current, addLicenses: [{ skuId: e3.skuId, disabledPlans: [sway] }] });
    const license = licenseOf(result, e3);
    expect(license?.planStatus[exchange]).toBe("Error");
    expect(license?.planStatus[teams]).toBe("PendingProvisioning");
    expect(license?.planStatus).not.toHaveProperty(sway);
  });

  it("does nothing when the same plans are already disabled, in any order or case", () => {
    const current = user({ assignedLicenses: [held(e3, { disabledPlans: [teams, sway] })] });
    const result = change({
      user: current,
      addLicenses: [{ skuId: e3.skuId, disabledPlans: [sway.toUpperCase(), teams] }],
    });
    expect(result.plansChanged).toEqual([]);
    expect(result.added).toEqual([]);
    expect(result.seatDelta.size).toBe(0);
    expect(result.assignedLicenses).toEqual(current.assignedLicenses);
  });

  it("leaves the user's other licenses as they were", () => {
    const other = held(appsForBusiness, { assignedAt: "2023-03-03T03:03:03.000Z" });
    const current = user({ assignedLicenses: [held(e3), other] });
    const result = change({ user: current, addLicenses: [{ skuId: e3.skuId, disabledPlans: [teams] }] });
    expect(licenseOf(result, appsForBusiness)).toEqual(other);
  });

  it("keeps the subscription the license came from once that subscription is no longer self-service", () => {
    const current = user({ assignedLicenses: [held(e3, { viaSubscriptionId: "subscription-7" })] });
    const result = change({ user: current, addLicenses: [{ skuId: e3.skuId, disabledPlans: [teams] }] });
    expect(licenseOf(result, e3)?.viaSubscriptionId).toBe("subscription-7");
  });
});

describe("unassigning a license (R9)", () => {
  it("removes a held license and frees its seat", () => {
    const current = user({ assignedLicenses: [held(e3), held(appsForBusiness)] });
    const result = change({ user: current, removeLicenses: [e3.skuId] });
    expect(result.assignedLicenses.map((l) => l.skuId)).toEqual([appsForBusiness.skuId]);
    expect(result.removed).toEqual([e3.skuId]);
    expect([...result.seatDelta]).toEqual([[e3.skuId, -1]]);
  });

  it("treats removing a license the user does not hold as a no-op", () => {
    const current = user({ assignedLicenses: [held(e3)] });
    const result = change({ user: current, removeLicenses: [businessBasic.skuId] });
    expect(result.assignedLicenses).toEqual(current.assignedLicenses);
    expect(result.removed).toEqual([]);
    expect(result.seatDelta.size).toBe(0);
  });

  it("treats removing a SKU the catalog does not know as a no-op too", () => {
    const result = change({ removeLicenses: ["00000000-0000-0000-0000-0000000000bb"] });
    expect(result.removed).toEqual([]);
    expect(result.assignedLicenses).toEqual([]);
  });
});

describe("mutually exclusive service plans (R15)", () => {
  const exchangeStandard = plans.EXCHANGE_S_STANDARD.servicePlanId;
  const exchangeEnterprise = plans.EXCHANGE_S_ENTERPRISE.servicePlanId;

  it("refuses Office 365 E3 with Exchange Online (Plan 1), naming both plans and both products", () => {
    const problem = problemFrom(() =>
      change({ addLicenses: [{ skuId: e3.skuId }, { skuId: exchangePlan1.skuId }] }),
    );
    expect(problem.code).toBe("MutuallyExclusiveViolation");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain("EXCHANGE_S_ENTERPRISE");
    expect(problem.detail).toContain("EXCHANGE_S_STANDARD");
    expect(problem.detail).toContain("Office 365 E3");
    expect(problem.detail).toContain("Exchange Online (Plan 1)");
    expect(problem.detail).toContain("disabledPlans");
    expect(problem.errors).toEqual([
      expect.objectContaining({
        servicePlanId: exchangeStandard,
        skuId: exchangePlan1.skuId,
        conflictsWithServicePlanId: exchangeEnterprise,
        conflictsWithSkuId: e3.skuId,
      }),
    ]);
  });

  it("names every conflicting pair of a request in one refusal", () => {
    const businessStandard = productOf("O365_BUSINESS_PREMIUM");
    const current = user({ assignedLicenses: [held(e3)] });
    const problem = problemFrom(() =>
      change({ user: current, addLicenses: [{ skuId: businessStandard.skuId }] }),
    );
    expect(problem.code).toBe("MutuallyExclusiveViolation");
    const pairs = (problem.errors ?? []).map((item) =>
      [item.servicePlanName, item.conflictsWithServicePlanName].sort().join(" + "),
    );
    expect(pairs.sort()).toEqual([
      "EXCHANGE_S_ENTERPRISE + EXCHANGE_S_STANDARD",
      "SHAREPOINTENTERPRISE + SHAREPOINTSTANDARD",
    ]);
    for (const name of [
      "EXCHANGE_S_ENTERPRISE",
      "EXCHANGE_S_STANDARD",
      "SHAREPOINTENTERPRISE",
      "SHAREPOINTSTANDARD",
    ]) {
      expect(problem.detail).toContain(name);
    }
    // Following the advice for every pair at once resolves the request.
    const resolved = change({
      user: current,
      addLicenses: [
        {
          skuId: businessStandard.skuId,
          disabledPlans: [plans.EXCHANGE_S_STANDARD.servicePlanId, plans.SHAREPOINTSTANDARD.servicePlanId],
        },
      ],
    });
    expect(resolved.added).toEqual([businessStandard.skuId]);
  });

  it("refuses adding Exchange Online (Plan 1) to a user who already holds E3", () => {
    const current = user({ assignedLicenses: [held(e3)] });
    expect(
      problemFrom(() => change({ user: current, addLicenses: [{ skuId: exchangePlan1.skuId }] })).code,
    ).toBe("MutuallyExclusiveViolation");
  });

  it("accepts both licenses when Exchange is switched off in one of them", () => {
    const offInPlan1 = change({
      addLicenses: [{ skuId: e3.skuId }, { skuId: exchangePlan1.skuId, disabledPlans: [exchangeStandard] }],
    });
    expect(offInPlan1.added).toEqual([e3.skuId, exchangePlan1.skuId]);
    const offInE3 = change({
      addLicenses: [{ skuId: e3.skuId, disabledPlans: [exchangeEnterprise] }, { skuId: exchangePlan1.skuId }],
    });
    expect(offInE3.added).toHaveLength(2);
  });

  it("accepts replacing E3 by Exchange Online (Plan 1) in one request", () => {
    const current = user({ assignedLicenses: [held(e3)] });
    const result = change({
      user: current,
      addLicenses: [{ skuId: exchangePlan1.skuId }],
      removeLicenses: [e3.skuId],
    });
    expect(result.assignedLicenses.map((l) => l.skuId)).toEqual([exchangePlan1.skuId]);
  });
});

describe("service plan dependencies", () => {
  const sharePoint = plans.SHAREPOINTENTERPRISE.servicePlanId;
  const officeWeb = plans.SHAREPOINTWAC.servicePlanId;

  it("refuses SharePoint switched off while Office for the web (SHAREPOINTWAC) stays on", () => {
    const problem = problemFrom(() =>
      change({ addLicenses: [{ skuId: e3.skuId, disabledPlans: [sharePoint] }] }),
    );
    expect(problem.code).toBe("DependencyViolation");
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain("SHAREPOINTWAC");
    expect(problem.detail).toContain("SHAREPOINTENTERPRISE");
    expect(problem.errors).toEqual([expect.objectContaining({ servicePlanId: officeWeb, skuId: e3.skuId })]);
  });

  it("accepts SharePoint off when OneDrive from another license keeps Office for the web working", () => {
    const result = change({
      addLicenses: [{ skuId: e3.skuId, disabledPlans: [sharePoint] }, { skuId: appsForBusiness.skuId }],
    });
    expect(result.added).toHaveLength(2);
  });

  it("refuses removing the license whose OneDrive another license's Office for the web relies on", () => {
    const current = user({
      assignedLicenses: [held(e3, { disabledPlans: [sharePoint] }), held(appsForBusiness)],
    });
    const problem = problemFrom(() => change({ user: current, removeLicenses: [appsForBusiness.skuId] }));
    expect(problem.code).toBe("DependencyViolation");
  });

  it("refuses Audio Conferencing on its own and accepts it next to a license with Teams", () => {
    expect(problemFrom(() => change({ addLicenses: [{ skuId: audioConferencing.skuId }] })).code).toBe(
      "DependencyViolation",
    );
    const result = change({ addLicenses: [{ skuId: e3.skuId }, { skuId: audioConferencing.skuId }] });
    expect(result.added).toHaveLength(2);
  });
});

describe("guest users (R13)", () => {
  const guest = (assignedLicenses: AssignedLicense[] = []): User =>
    user({
      userType: "Guest",
      userPrincipalName: "partner_fabrikam.example#EXT#@contoso.example",
      assignedLicenses,
    });

  it("refuses a license for a guest when the caller may not license guests", () => {
    const problem = problemFrom(() => change({ user: guest(), addLicenses: [{ skuId: e3.skuId }] }));
    expect(problem.code).toBe("GuestLicenseRequiresGlobalAdministrator");
    expect(problem.status).toBe(403);
  });

  it("refuses changing a guest's plans when the caller may not license guests", () => {
    const problem = problemFrom(() =>
      change({
        user: guest([held(e3)]),
        addLicenses: [{ skuId: e3.skuId, disabledPlans: [plans.SWAY.servicePlanId] }],
      }),
    );
    expect(problem.code).toBe("GuestLicenseRequiresGlobalAdministrator");
  });

  it("refuses a guest's swap of one license for another when the caller may not license guests", () => {
    const problem = problemFrom(() =>
      change({
        user: guest([held(e3)]),
        addLicenses: [{ skuId: businessBasic.skuId }],
        removeLicenses: [e3.skuId],
      }),
    );
    expect(problem.code).toBe("GuestLicenseRequiresGlobalAdministrator");
  });

  it("gives a guest a license when the caller may license guests", () => {
    const result = change({ user: guest(), addLicenses: [{ skuId: e3.skuId }], mayLicenseGuests: true });
    expect(result.added).toEqual([e3.skuId]);
  });

  it("lets any caller remove a guest's license", () => {
    const result = change({ user: guest([held(e3)]), removeLicenses: [e3.skuId] });
    expect(result.removed).toEqual([e3.skuId]);
    expect(result.assignedLicenses).toEqual([]);
  });
});

describe("licenses from a self-service subscription (R6)", () => {
  const selfServiceLicense = held(exchangePlan1, { viaSubscriptionId: "self-service-1" });
  const buyer = user({ assignedLicenses: [selfServiceLicense] });

  it("cannot be removed while the subscription is still self-service", () => {
    const problem = problemFrom(() =>
      change({
        user: buyer,
        removeLicenses: [exchangePlan1.skuId],
        selfServiceSubscriptionIds: new Set(["self-service-1"]),
      }),
    );
    expect(problem.code).toBe("SelfServiceSubscription");
    expect(problem.status).toBe(409);
    expect(problem.errors).toEqual([{ skuId: exchangePlan1.skuId, subscriptionId: "self-service-1" }]);
  });

  it("cannot have its plans changed while the subscription is still self-service", () => {
    const problem = problemFrom(() =>
      change({
        user: buyer,
        addLicenses: [{ skuId: exchangePlan1.skuId, disabledPlans: [plans.BPOS_S_TODO_1.servicePlanId] }],
        selfServiceSubscriptionIds: new Set(["self-service-1"]),
      }),
    );
    expect(problem.code).toBe("SelfServiceSubscription");
  });

  it("can be removed once the subscription has been taken over", () => {
    const result = change({
      user: buyer,
      removeLicenses: [exchangePlan1.skuId],
      selfServiceSubscriptionIds: new Set(["another-self-service"]),
    });
    expect(result.removed).toEqual([exchangePlan1.skuId]);
  });
});

describe("any accepted change", () => {
  const catalog = [e3, exchangePlan1, appsForBusiness, businessBasic, audioConferencing];
  const requestArbitrary = fc.record({
    holds: fc.subarray(catalog),
    adds: fc.subarray(catalog).chain((products) =>
      fc.tuple(
        ...products.map((product) =>
          fc.record({
            skuId: fc.constant(product.skuId),
            disabledPlans: fc.subarray(product.servicePlans.map((plan) => plan.servicePlanId)),
          }),
        ),
      ),
    ),
    removes: fc.subarray(catalog.map((product) => product.skuId)),
  });

  it("leaves no excluded pair of plans on, every dependency met, and seat deltas matching the licenses", () => {
    let accepted = 0;
    fc.assert(
      fc.property(requestArbitrary, ({ holds, adds, removes }) => {
        const current = user({ assignedLicenses: holds.map((product) => held(product)) });
        const addLicenses = adds.filter(({ skuId }) => !removes.includes(skuId));
        let result: LicenseChange;
        try {
          result = change({ user: current, addLicenses, removeLicenses: removes });
        } catch (error) {
          if (error instanceof ProblemError) return;
          throw error;
        }
        accepted += 1;
        const enabled = new Set(
          result.assignedLicenses.flatMap((license) =>
            (catalog.find((product) => product.skuId === license.skuId)?.servicePlans ?? [])
              .map((plan) => plan.servicePlanId)
              .filter((id) => !license.disabledPlans.includes(id)),
          ),
        );
        for (const { servicePlanIds } of planExclusions) {
          expect(enabled.has(servicePlanIds[0]) && enabled.has(servicePlanIds[1])).toBe(false);
        }
        for (const { servicePlanId, requiresAnyOf } of planDependencies) {
          if (enabled.has(servicePlanId)) expect(requiresAnyOf.some((id) => enabled.has(id))).toBe(true);
        }
        const before = new Set(holds.map((product) => product.skuId));
        const after = new Set(result.assignedLicenses.map((license) => license.skuId));
        expect(after.size).toBe(result.assignedLicenses.length);
        for (const skuId of new Set([...before, ...after])) {
          const expectedDelta = Number(after.has(skuId)) - Number(before.has(skuId));
          expect(result.seatDelta.get(skuId) ?? 0, skuId).toBe(expectedDelta);
        }
      }),
      { numRuns: 300 },
    );
    expect(accepted, "enough random requests are accepted to exercise the property").toBeGreaterThan(30);
  });
});
