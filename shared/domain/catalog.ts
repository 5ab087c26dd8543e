// Microsoft's product catalog: SKUs, their service plans, and the plan conflicts and dependencies checked on assignment.
// Ids and names come from Microsoft Entra's "Product names and service plan identifiers for licensing" (and its CSV).

export type ProvisioningKind =
  | "mailbox"
  | "sharePoint"
  | "skypeForBusiness"
  | "teams"
  | "officeApps"
  | "other";

export interface ServicePlan {
  readonly servicePlanId: string;
  readonly servicePlanName: string;
  readonly displayName: string;
  readonly provisioningKind: ProvisioningKind;
  /**
   * The usage locations (ISO 3166-1 alpha-2) the plan is sold in; left out: everywhere. Assigning it
   * enabled to a user elsewhere is a ProhibitedInUsageLocationViolation (usage-location.ts).
   */
  readonly availableIn?: readonly string[];
}

export interface Product {
  readonly skuId: string;
  readonly skuPartNumber: string;
  readonly displayName: string;
  readonly servicePlans: readonly ServicePlan[];
  /** R19: keeps an inactive mailbox under a hold (enterprise plans such as E3) */
  readonly supportsInactiveMailbox: boolean;
}

/** Two service plans that cannot both be enabled for one user (R15), e.g. two Exchange Online plans. */
export interface PlanExclusion {
  readonly servicePlanIds: readonly [string, string];
  readonly reason: string;
}

/** A plan that only works while at least one of `requiresAnyOf` is enabled for the same user, e.g. Office for the web needs SharePoint/OneDrive. */
export interface PlanDependency {
  readonly servicePlanId: string;
  readonly requiresAnyOf: readonly string[];
  readonly reason: string;
}

function plan(
  servicePlanName: string,
  servicePlanId: string,
  displayName: string,
  provisioningKind: ProvisioningKind,
  availableIn?: readonly string[],
): ServicePlan {
  return Object.freeze({
    servicePlanId,
    servicePlanName,
    displayName,
    provisioningKind,
    ...(availableIn ? { availableIn: Object.freeze([...availableIn]) } : {}),
  });
}

/**
 * Where Microsoft sells Teams Calling Plans. Microsoft publishes it per country in "Country and
 * region availability for Audio Conferencing and Calling Plans" (learn.microsoft.com, source
 * MicrosoftDocs/OfficeDocs-SkypeForBusiness, Teams/country-and-region-availability-for-audio-
 * conferencing-and-calling-plans/availability-in-*.md): "Calling Plans are available to purchase?
 * Yes" on these pages, "No" on e.g. Sweden's, Denmark's and Austria's. Microsoft adds markets over
 * time: this is the list as read from those pages, not a live feed.
 */
const callingPlanCountries = ["BE", "CA", "DE", "ES", "FR", "GB", "IE", "NL", "PR", "US"];

// Each plan is defined once: the same id appears in several products and must mean the same thing everywhere.
export const plans = Object.freeze({
  EXCHANGE_S_STANDARD: plan(
    "EXCHANGE_S_STANDARD",
    "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
    "Exchange Online (Plan 1)",
    "mailbox",
  ),
  EXCHANGE_S_ENTERPRISE: plan(
    "EXCHANGE_S_ENTERPRISE",
    "efb87545-963c-4e0d-99df-69c6916d9eb0",
    "Exchange Online (Plan 2)",
    "mailbox",
  ),
  EXCHANGE_S_DESKLESS: plan(
    "EXCHANGE_S_DESKLESS",
    "4a82b400-a79f-41a4-b4e2-e94f5787b113",
    "Exchange Online Kiosk",
    "mailbox",
  ),
  // An archive for the mailbox that Exchange Online (Plan 1) creates; it creates no mailbox itself, hence not "mailbox".
  EXCHANGE_S_ARCHIVE_ADDON: plan(
    "EXCHANGE_S_ARCHIVE_ADDON",
    "176a09a6-7ec5-4039-ac02-b2791c6ba793",
    "Exchange Online Archiving for Exchange Online",
    "other",
  ),
  SHAREPOINTSTANDARD: plan(
    "SHAREPOINTSTANDARD",
    "c7699d2e-19aa-44de-8edf-1736da088ca1",
    "SharePoint (Plan 1)",
    "sharePoint",
  ),
  SHAREPOINTENTERPRISE: plan(
    "SHAREPOINTENTERPRISE",
    "5dbe027f-2339-4123-9542-606e4d348a72",
    "SharePoint (Plan 2)",
    "sharePoint",
  ),
  ONEDRIVESTANDARD: plan(
    "ONEDRIVESTANDARD",
    "13696edf-5a08-49f6-8134-03083ed8ba30",
    "OneDrive for Business (Plan 1)",
    "sharePoint",
  ),
  SHAREPOINTWAC: plan("SHAREPOINTWAC", "e95bec33-7c88-4a70-8e19-b10bd9d0c014", "Office for the web", "other"),
  MCOSTANDARD: plan(
    "MCOSTANDARD",
    "0feaeb32-d00e-4d66-bd5a-43b5b83db82c",
    "Skype for Business Online (Plan 2)",
    "skypeForBusiness",
  ),
  TEAMS1: plan("TEAMS1", "57ff2da0-773e-42df-b2af-ffb7a2317929", "Microsoft Teams", "teams"),
  OFFICESUBSCRIPTION: plan(
    "OFFICESUBSCRIPTION",
    "43de0ff5-c92c-492b-9116-175376d08c38",
    "Microsoft 365 Apps for enterprise",
    "officeApps",
  ),
  OFFICE_BUSINESS: plan(
    "OFFICE_BUSINESS",
    "094e7854-93fc-4d55-b2c0-3ab5369ebdc1",
    "Microsoft 365 Apps for business",
    "officeApps",
  ),
  MCOMEETADV: plan(
    "MCOMEETADV",
    "3e26ee1f-8a5f-4d52-aee2-b81ce45c8f40",
    "Microsoft 365 Audio Conferencing",
    "other",
  ),
  FORMS_PLAN_E1: plan(
    "FORMS_PLAN_E1",
    "159f4cd6-e380-449f-a816-af1a9ef76344",
    "Microsoft Forms (Plan E1)",
    "other",
  ),
  FORMS_PLAN_E3: plan(
    "FORMS_PLAN_E3",
    "2789c901-c14e-48ab-a76a-be334d9d793a",
    "Microsoft Forms (Plan E3)",
    "other",
  ),
  SWAY: plan("SWAY", "a23b959c-7ce8-4e57-9140-b90eb88a9e97", "Sway", "other"),
  YAMMER_ENTERPRISE: plan(
    "YAMMER_ENTERPRISE",
    "7547a3fe-08ee-4ccb-b430-5077c5041653",
    "Yammer Enterprise",
    "other",
  ),
  PROJECTWORKMANAGEMENT: plan(
    "PROJECTWORKMANAGEMENT",
    "b737dad2-2f6c-4c65-90e3-ca563267e8b9",
    "Microsoft Planner",
    "other",
  ),
  MICROSOFTBOOKINGS: plan(
    "MICROSOFTBOOKINGS",
    "199a5c09-e0ca-4e37-8f7c-b05d533e1ea2",
    "Microsoft Bookings",
    "other",
  ),
  BPOS_S_TODO_1: plan("BPOS_S_TODO_1", "5e62787c-c316-451f-b873-1d05acd4d12c", "To-Do (Plan 1)", "other"),
  BPOS_S_TODO_2: plan("BPOS_S_TODO_2", "c87f142c-d1e9-4363-8630-aaea9c4d9ae5", "To-Do (Plan 2)", "other"),
  STREAM_O365_E1: plan(
    "STREAM_O365_E1",
    "743dd19e-1ce3-4c62-a3ad-49ba8f63a2f6",
    "Microsoft Stream for Office 365 E1",
    "other",
  ),
  STREAM_O365_E3: plan(
    "STREAM_O365_E3",
    "9e700747-8b1d-45e5-ab8d-ef187ceec156",
    "Microsoft Stream for Office 365 E3",
    "other",
  ),
  WHITEBOARD_PLAN2: plan(
    "WHITEBOARD_PLAN2",
    "94a54592-cd8b-425e-87c6-97868b000b91",
    "Whiteboard (Plan 2)",
    "other",
  ),
  // The Calling Plan itself (the PSTN calling service); sold only where Calling Plans are.
  MCOPSTN1: plan(
    "MCOPSTN1",
    "4ed3ff63-69d7-4fb7-b984-5aec7f605ca8",
    "Microsoft Teams Domestic Calling Plan",
    "other",
    callingPlanCountries,
  ),
  INTUNE_A: plan("INTUNE_A", "c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "Microsoft Intune", "other"),
  INTUNE_O365: plan(
    "INTUNE_O365",
    "882e1d05-acd1-4ccb-8708-6ee03664b117",
    "Mobile Device Management for Office 365",
    "other",
  ),
} satisfies Record<string, ServicePlan>);

function product(
  skuPartNumber: string,
  skuId: string,
  displayName: string,
  supportsInactiveMailbox: boolean,
  servicePlans: readonly ServicePlan[],
): Product {
  return Object.freeze({
    skuId,
    skuPartNumber,
    displayName,
    servicePlans: Object.freeze([...servicePlans]),
    supportsInactiveMailbox,
  });
}

const p = plans;

// Plan lists keep the services that matter here and leave out minor ones (Power Apps/Automate, Kaizala, Viva, ...).
// supportsInactiveMailbox: a hold (Litigation Hold or a retention policy) needs Exchange Online (Plan 2), or
// Plan 1 with Exchange Online Archiving, before the mailbox is deleted.
export const products: readonly Product[] = Object.freeze([
  product("ENTERPRISEPACK", "6fd2c87f-b296-42f0-b197-1e91e994b900", "Office 365 E3", true, [
    p.EXCHANGE_S_ENTERPRISE,
    p.SHAREPOINTENTERPRISE,
    p.MCOSTANDARD,
    p.TEAMS1,
    p.OFFICESUBSCRIPTION,
    p.SHAREPOINTWAC,
    p.FORMS_PLAN_E3,
    p.SWAY,
    p.YAMMER_ENTERPRISE,
    p.PROJECTWORKMANAGEMENT,
    p.MICROSOFTBOOKINGS,
    p.STREAM_O365_E3,
    p.BPOS_S_TODO_2,
    p.WHITEBOARD_PLAN2,
  ]),
  product("STANDARDPACK", "18181a46-0d4e-45cd-891e-60aabd171b4e", "Office 365 E1", false, [
    p.EXCHANGE_S_STANDARD,
    p.SHAREPOINTSTANDARD,
    p.MCOSTANDARD,
    p.TEAMS1,
    p.SHAREPOINTWAC,
    p.FORMS_PLAN_E1,
    p.SWAY,
    p.YAMMER_ENTERPRISE,
    p.PROJECTWORKMANAGEMENT,
    p.STREAM_O365_E1,
    p.BPOS_S_TODO_1,
  ]),
  product(
    "O365_BUSINESS_ESSENTIALS",
    "3b555118-da6a-4418-894f-7df1e2096870",
    "Microsoft 365 Business Basic",
    false,
    [
      p.EXCHANGE_S_STANDARD,
      p.SHAREPOINTSTANDARD,
      p.MCOSTANDARD,
      p.TEAMS1,
      p.SHAREPOINTWAC,
      p.FORMS_PLAN_E1,
      p.SWAY,
      p.YAMMER_ENTERPRISE,
      p.PROJECTWORKMANAGEMENT,
      p.BPOS_S_TODO_1,
    ],
  ),
  product(
    "O365_BUSINESS_PREMIUM",
    "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
    "Microsoft 365 Business Standard",
    false,
    [
      p.EXCHANGE_S_STANDARD,
      p.SHAREPOINTSTANDARD,
      p.MCOSTANDARD,
      p.TEAMS1,
      p.OFFICE_BUSINESS,
      p.SHAREPOINTWAC,
      p.FORMS_PLAN_E1,
      p.SWAY,
      p.YAMMER_ENTERPRISE,
      p.PROJECTWORKMANAGEMENT,
      p.MICROSOFTBOOKINGS,
      p.BPOS_S_TODO_1,
    ],
  ),
  product("SPB", "cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46", "Microsoft 365 Business Premium", true, [
    p.EXCHANGE_S_STANDARD,
    p.EXCHANGE_S_ARCHIVE_ADDON,
    p.SHAREPOINTSTANDARD,
    p.MCOSTANDARD,
    p.TEAMS1,
    p.OFFICE_BUSINESS,
    p.SHAREPOINTWAC,
    p.INTUNE_A,
    p.FORMS_PLAN_E1,
    p.SWAY,
    p.YAMMER_ENTERPRISE,
    p.PROJECTWORKMANAGEMENT,
    p.MICROSOFTBOOKINGS,
    p.BPOS_S_TODO_1,
  ]),
  product("O365_BUSINESS", "cdd28e44-67e3-425e-be4c-737fab2899d3", "Microsoft 365 Apps for business", false, [
    p.OFFICE_BUSINESS,
    p.ONEDRIVESTANDARD,
    p.SHAREPOINTWAC,
    p.FORMS_PLAN_E1,
    p.SWAY,
  ]),
  // The standalone Exchange SKUs really contain only these few plans.
  product("EXCHANGESTANDARD", "4b9405b0-7788-4568-add1-99614e613b69", "Exchange Online (Plan 1)", false, [
    p.EXCHANGE_S_STANDARD,
    p.INTUNE_O365,
    p.BPOS_S_TODO_1,
  ]),
  product("EXCHANGEENTERPRISE", "19ec0d23-8335-4cbd-94ac-6050e30712fa", "Exchange Online (Plan 2)", true, [
    p.EXCHANGE_S_ENTERPRISE,
  ]),
  product("EXCHANGEDESKLESS", "80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82", "Exchange Online Kiosk", false, [
    p.EXCHANGE_S_DESKLESS,
  ]),
  // An add-on: its only plan depends on Skype for Business / Teams from another license (see planDependencies).
  product("MCOMEETADV", "0c266dff-15dd-4b49-8397-2bb16070ed52", "Microsoft 365 Audio Conferencing", false, [
    p.MCOMEETADV,
  ]),
  // An add-on sold only in some countries (see callingPlanCountries): the catalog's example of a
  // ProhibitedInUsageLocationViolation. Microsoft also requires Teams Phone for it; not modelled.
  product(
    "MCOPSTN1",
    "0dab259f-bf13-4952-b7f8-7db8f131b28d",
    "Microsoft Teams Domestic Calling Plan",
    false,
    [p.MCOPSTN1],
  ),
]);

/** Every pair of a group of plans of which at most one may be enabled for a user. */
function mutuallyExclusive(group: readonly ServicePlan[], reason: string): PlanExclusion[] {
  const pairs: PlanExclusion[] = [];
  group.forEach((first, index) => {
    for (const second of group.slice(index + 1)) {
      pairs.push(
        Object.freeze({ servicePlanIds: [first.servicePlanId, second.servicePlanId] as const, reason }),
      );
    }
  });
  return pairs;
}

// Source: Entra "Product names and service plan identifiers for licensing", section "Service plans that cannot be
// assigned at the same time" (reported as MutuallyExclusiveViolation), and the E1 + E3 example in Entra's
// "Identify and resolve license assignment problems for a group". Caveat: since January 2023 (message center
// MC541151) Exchange Online licenses can be stacked and Microsoft keeps the highest plan; the Entra table still lists
// EXCHANGE_S_STANDARD with EXCHANGE_S_DESKLESS but no longer EXCHANGE_S_ENTERPRISE. This catalog keeps the classic
// admin-center rule that the seeds describe (one Exchange Online plan per user).
export const planExclusions: readonly PlanExclusion[] = Object.freeze([
  ...mutuallyExclusive(
    [p.EXCHANGE_S_STANDARD, p.EXCHANGE_S_ENTERPRISE, p.EXCHANGE_S_DESKLESS],
    "A user can have only one Exchange Online mailbox plan. Turn the Exchange Online service off in one of the licenses, or remove the license that is no longer needed.",
  ),
  ...mutuallyExclusive(
    [p.SHAREPOINTSTANDARD, p.SHAREPOINTENTERPRISE],
    "A user can have only one SharePoint Online plan. Turn the SharePoint Online service off in one of the licenses, or remove the license that is no longer needed.",
  ),
]);

export const planDependencies: readonly PlanDependency[] = Object.freeze([
  // The admin center refuses Office for the web without "SharePoint Online (Plan 2), SharePoint Online Kiosk,
  // SharePoint Online (Plan 1)" (MicrosoftDocs/OfficeDocs-Enterprise#627); Microsoft 365 Apps for business pairs it
  // with OneDrive only, so OneDrive satisfies it too. SharePoint Kiosk is not in this catalog.
  Object.freeze({
    servicePlanId: p.SHAREPOINTWAC.servicePlanId,
    requiresAnyOf: Object.freeze([
      p.SHAREPOINTSTANDARD.servicePlanId,
      p.SHAREPOINTENTERPRISE.servicePlanId,
      p.ONEDRIVESTANDARD.servicePlanId,
    ]),
    reason:
      "Office for the web opens documents stored in SharePoint Online or OneDrive, so it needs one of them.",
  }),
  // Entra docs: "Audio Conferencing is dependent on Skype for Business"; Graph's error for the GCC twin names the
  // Teams and Skype for Business plans ("depends on the service plan(s) ...").
  Object.freeze({
    servicePlanId: p.MCOMEETADV.servicePlanId,
    requiresAnyOf: Object.freeze([p.MCOSTANDARD.servicePlanId, p.TEAMS1.servicePlanId]),
    reason:
      "Audio Conferencing adds dial-in to Skype for Business or Teams meetings, so it needs one of them.",
  }),
]);

/** Every distinct service plan of the catalog. */
export const servicePlans: readonly ServicePlan[] = Object.freeze(Object.values(plans));

const productsBySkuId = new Map(products.map((entry) => [entry.skuId.toLowerCase(), entry]));
const productsByPartNumber = new Map(products.map((entry) => [entry.skuPartNumber.toUpperCase(), entry]));
const plansById = new Map(servicePlans.map((entry) => [entry.servicePlanId.toLowerCase(), entry]));

/** The product with this SKU id; GUIDs match case-insensitively, as Graph treats them. */
export function findProduct(skuId: string): Product | undefined {
  return productsBySkuId.get(skuId.trim().toLowerCase());
}

/** The product with this part number (e.g. "ENTERPRISEPACK"), case-insensitively. */
export function findProductByPartNumber(skuPartNumber: string): Product | undefined {
  return productsByPartNumber.get(skuPartNumber.trim().toUpperCase());
}

/** The service plan with this id; GUIDs match case-insensitively. */
export function findServicePlan(servicePlanId: string): ServicePlan | undefined {
  return plansById.get(servicePlanId.trim().toLowerCase());
}
