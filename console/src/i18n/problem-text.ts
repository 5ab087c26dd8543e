// A refusal in the console's language, by the problem's stable `code` and filled with its own members
// (`errors`: products, counts, services, countries), never the server's English `detail` alone. Only
// a code the catalog does not know shows the detail as it is.
import { countryName } from "../../../shared/domain/countries.js";
import { formatAlternatives, formatList, intlLocale, planName, productName } from "./format.js";
import { i18next } from "./index.js";

/** What the console reads from a problem+json body (or one result of a batch or job). */
export interface ProblemLike {
  readonly code?: string | undefined;
  readonly detail?: string | undefined;
  readonly errors?: readonly Readonly<Record<string, unknown>>[] | undefined;
}

const num = (value: unknown): number => (typeof value === "number" ? value : 0);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

const country = (code: unknown): string => {
  const letters = str(code);
  const name = letters ? new Intl.DisplayNames([intlLocale()], { type: "region" }).of(letters) : undefined;
  return name ?? countryName(letters);
};

/** What the caller knows beside a problem without members (one user's result of a product's assign). */
export interface ProblemContext {
  readonly skuId?: string;
}

/** The problem in words, or undefined for a code the catalog does not know. */
function knownProblemText(problem: ProblemLike, context: ProblemContext): string | undefined {
  const t = i18next.t;
  const items = problem.errors ?? [];
  const first = items[0];
  const detail = problem.detail ?? "";
  switch (problem.code) {
    case "CountViolation":
      if (items.length === 0) {
        return context.skuId
          ? t("problemsFor.CountViolation", { product: productName(context.skuId) })
          : t("problems.CountViolation");
      }
      return t("problems.CountViolationItems", {
        items: formatList(
          items.map((item) =>
            t("problems.CountViolationItem", {
              product: productName(item.skuId),
              missing: num(item.requested) - num(item.available),
              available: num(item.available),
            }),
          ),
        ),
      });
    case "MutuallyExclusiveViolation":
      return first
        ? t("problems.MutuallyExclusiveViolationItem", {
            plan: planName(first.servicePlanId, first.servicePlanName),
            product: productName(first.skuId),
            otherPlan: planName(first.conflictsWithServicePlanId, first.conflictsWithServicePlanName),
            otherProduct: productName(first.conflictsWithSkuId),
          })
        : t("problems.MutuallyExclusiveViolation");
    case "DependencyViolation":
      return first
        ? t("problems.DependencyViolationItem", {
            plan: planName(first.servicePlanId, first.servicePlanName),
            product: productName(first.skuId),
            needed: formatAlternatives(
              (Array.isArray(first.requiresAnyOf) ? first.requiresAnyOf : []).map((id) => planName(id)),
            ),
          })
        : t("problems.DependencyViolation");
    case "InvalidUsageLocation":
      return first && str(first.userPrincipalName)
        ? t("problems.InvalidUsageLocationItem", { user: str(first.userPrincipalName) })
        : t("problems.InvalidUsageLocation");
    case "ProhibitedInUsageLocationViolation":
      return first
        ? t("problems.ProhibitedInUsageLocationViolationItem", {
            plan: planName(first.servicePlanId, first.servicePlanName),
            product: productName(first.skuId),
            country: country(first.usageLocation),
            user: str(first.userPrincipalName),
            countries: formatList((Array.isArray(first.availableIn) ? first.availableIn : []).map(country)),
          })
        : t("problems.ProhibitedInUsageLocationViolation");
    case "SelfServiceSubscription":
      return items.length === 0
        ? t("problems.SelfServiceSubscription")
        : t("problems.SelfServiceSubscriptionItems", {
            products: formatList([...new Set(items.map((item) => productName(item.skuId)))]),
          });
    case "GuestLicenseRequiresGlobalAdministrator":
      return t("problems.GuestLicenseRequiresGlobalAdministrator");
    case "SeatsBelowAssigned":
      return first
        ? t("problems.SeatsBelowAssignedItem", {
            product: productName(first.skuId),
            assigned: num(first.assigned),
            enabled: num(first.enabledAfterChange),
            short: num(first.assigned) - num(first.enabledAfterChange),
          })
        : t("problems.SeatsBelowAssigned");
    case "OfficeInstallLimit":
      return items.length === 0
        ? t("problems.OfficeInstallLimit")
        : t("problems.OfficeInstallLimitItems", { count: items.length });
    case "ValidationFailed":
      if (items.some((item) => item.message === "already a member")) return t("problems.AlreadyMember");
      return t("problems.ValidationFailed", { detail });
    case "Conflict":
      if (items.some((item) => item.path === "userPrincipalName")) return t("problems.UserNameTaken");
      return t("problems.Conflict", { detail });
    case "NotFound":
      return t("problems.NotFound", { detail });
    case "Forbidden":
    case "Unauthorized":
    case "PreconditionFailed":
    case "ServiceUnavailable":
    case "TooManyRequests":
    case "FailedDependency":
    case "PayloadTooLarge":
    case "Internal":
      return t(`problems.${problem.code}`);
    default:
      return undefined;
  }
}

/** A problem in words: by its code, else the server's detail, else `fallback`. */
export function problemText(problem: ProblemLike, fallback?: string, context: ProblemContext = {}): string {
  return knownProblemText(problem, context) ?? problem.detail ?? fallback ?? i18next.t("common.failed");
}
