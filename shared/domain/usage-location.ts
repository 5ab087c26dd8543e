// The usage-location rule of license assignment, as Microsoft Entra ID applies it: a license needs
// a usage location (the user's, else the tenant's default country), and a service plan sold only in
// some countries (the catalog's `availableIn`) may be enabled only for users located in one of them.
import { findProduct } from "./catalog.js";
import { countryName } from "./countries.js";
import { ProblemError } from "./problem.js";

/** Licenses being added or changed, and where their user uses them. */
export interface UsageLocationInput {
  readonly userPrincipalName: string;
  readonly licenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  /** The user's usageLocation, or else the tenant's countryLetterCode; null when neither is set. */
  readonly usageLocation: string | null;
}

/** Graph's message when a user has no usage location (its error code is InvalidUsageLocation). */
export const invalidUsageLocationMessage =
  "License assignment cannot be done for user with invalid usage location.";

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Why the licenses cannot be given to the user where they are, or undefined when they can. Checks
 * only what it is given: removing licenses never needs a usage location. A skuId the catalog does
 * not know is left to the caller's own NotFound.
 */
export function usageLocationProblem(input: UsageLocationInput): ProblemError | undefined {
  const { userPrincipalName, licenses, usageLocation } = input;
  if (licenses.length === 0) return undefined;
  if (usageLocation === null) {
    return new ProblemError(
      "InvalidUsageLocation",
      `${invalidUsageLocationMessage} ${userPrincipalName} has no usageLocation and the organization has ` +
        "no default country: set the user's usageLocation (PATCH /users/{id}) or the organization's " +
        "countryLetterCode (PATCH /organization/{id}), then assign again.",
      [{ userPrincipalName, usageLocation: null }],
    );
  }
  for (const license of licenses) {
    const product = findProduct(license.skuId);
    for (const plan of product?.servicePlans ?? []) {
      if (plan.availableIn === undefined || plan.availableIn.includes(usageLocation)) continue;
      if (license.disabledPlans.some((id) => sameId(id, plan.servicePlanId))) continue;
      const country = `${countryName(usageLocation)} (${usageLocation})`;
      return new ProblemError(
        "ProhibitedInUsageLocationViolation",
        `${plan.displayName} (${plan.servicePlanName}) of ${product?.displayName} is not sold in ${country}, ` +
          `the usage location of ${userPrincipalName}. It is sold in ${plan.availableIn.join(", ")}: ` +
          "change the user's usageLocation if they work in one of those, or turn the service plan off " +
          "(disabledPlans).",
        [
          {
            userPrincipalName,
            usageLocation,
            skuId: product?.skuId ?? license.skuId,
            servicePlanId: plan.servicePlanId,
            servicePlanName: plan.servicePlanName,
            availableIn: plan.availableIn,
          },
        ],
      );
    }
  }
  return undefined;
}
