// The usage-location rule: a license needs a usage location, and a plan sold only in some countries
// (Teams Calling Plans) is refused elsewhere unless switched off. Pure: no infrastructure.
import { describe, expect, it } from "vitest";
import { findProduct, plans, products } from "../../shared/domain/catalog.js";
import { countryCodes, countryName, isCountryCode } from "../../shared/domain/countries.js";
import { invalidUsageLocationMessage, usageLocationProblem } from "../../shared/domain/usage-location.js";
import { skus } from "../support/catalog-ids.js";

const upn = "adele.vance@contoso.example";
const callingPlan = { skuId: skus.domesticCallingPlan, disabledPlans: [] };
const businessStandard = { skuId: skus.businessStandard, disabledPlans: [] };

describe("usageLocationProblem", () => {
  it("refuses any license to a user with no usage location, with Graph's message and what to do", () => {
    const problem = usageLocationProblem({
      userPrincipalName: upn,
      licenses: [businessStandard],
      usageLocation: null,
    });
    expect(problem?.code).toBe("InvalidUsageLocation");
    expect(problem?.status).toBe(400);
    expect(problem?.detail.startsWith(invalidUsageLocationMessage)).toBe(true);
    expect(problem?.detail).toContain(upn);
    expect(problem?.detail).toContain("countryLetterCode");
  });

  it("has nothing to say when no license is added or changed, even without a usage location", () => {
    expect(
      usageLocationProblem({ userPrincipalName: upn, licenses: [], usageLocation: null }),
    ).toBeUndefined();
  });

  it("lets a product sold everywhere be given in any country", () => {
    expect(
      usageLocationProblem({ userPrincipalName: upn, licenses: [businessStandard], usageLocation: "SE" }),
    ).toBeUndefined();
  });

  it("refuses the Domestic Calling Plan in Sweden, naming the plan, product and country", () => {
    const problem = usageLocationProblem({
      userPrincipalName: upn,
      licenses: [businessStandard, callingPlan],
      usageLocation: "SE",
    });
    expect(problem?.code).toBe("ProhibitedInUsageLocationViolation");
    expect(problem?.status).toBe(400);
    expect(problem?.detail).toContain("Microsoft Teams Domestic Calling Plan (MCOPSTN1)");
    expect(problem?.detail).toContain("Sweden (SE)");
    expect(problem?.detail).toContain(upn);
    expect(problem?.errors).toEqual([
      expect.objectContaining({
        skuId: skus.domesticCallingPlan,
        servicePlanId: plans.MCOPSTN1.servicePlanId,
        usageLocation: "SE",
      }),
    ]);
  });

  it("gives the Domestic Calling Plan where Microsoft sells it", () => {
    for (const usageLocation of ["US", "GB", "DE", "PR"]) {
      expect(
        usageLocationProblem({ userPrincipalName: upn, licenses: [callingPlan], usageLocation }),
      ).toBeUndefined();
    }
  });

  it("lets the product be given with the restricted plan switched off (compared case-insensitively)", () => {
    const switchedOff = {
      skuId: skus.domesticCallingPlan.toUpperCase(),
      disabledPlans: [plans.MCOPSTN1.servicePlanId.toUpperCase()],
    };
    expect(
      usageLocationProblem({ userPrincipalName: upn, licenses: [switchedOff], usageLocation: "SE" }),
    ).toBeUndefined();
  });
});

describe("the catalog's country restrictions", () => {
  it("name only assigned ISO 3166-1 alpha-2 codes", () => {
    for (const plan of products.flatMap((product) => product.servicePlans)) {
      for (const code of plan.availableIn ?? [])
        expect(isCountryCode(code), `${plan.servicePlanName} ${code}`).toBe(true);
    }
  });

  it("keep Microsoft's real ids of the Domestic Calling Plan", () => {
    const product = findProduct("0dab259f-bf13-4952-b7f8-7db8f131b28d");
    expect(product?.skuPartNumber).toBe("MCOPSTN1");
    expect(product?.servicePlans.map((plan) => plan.servicePlanId)).toEqual([
      "4ed3ff63-69d7-4fb7-b984-5aec7f605ca8",
    ]);
  });
});

describe("country codes", () => {
  it("hold the 249 assigned ISO 3166-1 alpha-2 codes, each with an English name", () => {
    expect(countryCodes.size).toBe(249);
    for (const code of countryCodes) expect(countryName(code)).not.toBe(code);
    expect(countryName("SE")).toBe("Sweden");
  });

  it("refuse reserved, user-assigned and lower-case codes", () => {
    for (const code of ["EU", "UK", "XK", "ZZ", "se", "SWE", ""])
      expect(isCountryCode(code), code).toBe(false);
  });
});
