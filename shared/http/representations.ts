// Domain records in the API's (Microsoft Graph's) shapes, each typed by the zod response schema the
// OpenAPI document shows: a field cannot be added to one without the other.
import type { z } from "zod";
import { findProduct, type Product, type ServicePlan } from "../domain/catalog.js";
import { assignmentState, sourcesOf } from "../domain/license-sources.js";
import type {
  AssignedLicense,
  Group,
  Organization,
  ProvisioningStatus,
  Subscription,
  User,
} from "../domain/model.js";
import { notFound } from "../domain/problem.js";
import { needsLicense, officeInstallLimit } from "../domain/provisioning.js";
import { eDiscovery } from "../domain/retention.js";
import { capabilityStatus, productSeats } from "../domain/seats.js";
import type { GroupLicenseProcessing } from "../usecases/read-groups.js";
import type { JobView } from "../usecases/read-job.js";
import type { SubscribedSku } from "../usecases/read-subscribed-skus.js";
import type {
  groupEntity,
  groupMemberResponse,
  groupResponse,
  licenseDetailsResponse,
  mailboxResponse,
  memberOfResponse,
  organizationResponse,
  provisioningResponse,
  skuResponse,
  subscribedSkuResponse,
  subscriptionEntity,
  subscriptionResponse,
  userEntity,
  userResponse,
} from "./response-schemas.js";

type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * What a representation builds: the response schema's input, exactly (read-only, so domain records'
 * read-only arrays need no copy). Functions that build a body inline check it with `satisfies`.
 */
export type Representation<S extends z.ZodType> = DeepReadonly<z.input<S>>;

/**
 * Graph's `service` of an assigned plan (the workload that provides it), e.g. `exchange`; a plan not
 * listed here shows its own name.
 */
const serviceOfKind: Readonly<Record<ServicePlan["provisioningKind"], string | undefined>> = {
  mailbox: "exchange",
  sharePoint: "SharePoint",
  skypeForBusiness: "MicrosoftCommunicationsOnline",
  teams: "TeamspaceAPI",
  officeApps: "MicrosoftOffice",
  other: undefined,
};
const serviceOfPlan: Readonly<Record<string, string>> = {
  EXCHANGE_S_ARCHIVE_ADDON: "exchange",
  SHAREPOINTWAC: "SharePoint",
  MCOMEETADV: "MicrosoftCommunicationsOnline",
  FORMS_PLAN_E1: "MicrosoftForms",
  FORMS_PLAN_E3: "MicrosoftForms",
  SWAY: "Sway",
  YAMMER_ENTERPRISE: "YammerEnterprise",
  PROJECTWORKMANAGEMENT: "ProjectWorkManagement",
  MICROSOFTBOOKINGS: "MicrosoftBookings",
  BPOS_S_TODO_1: "To-Do",
  BPOS_S_TODO_2: "To-Do",
  STREAM_O365_E1: "MicrosoftStream",
  STREAM_O365_E3: "MicrosoftStream",
  WHITEBOARD_PLAN2: "WhiteboardServices",
  INTUNE_A: "SCO",
  INTUNE_O365: "SCO",
};
const serviceOf = (plan: ServicePlan): string =>
  serviceOfPlan[plan.servicePlanName] ?? serviceOfKind[plan.provisioningKind] ?? plan.servicePlanName;

/** Graph's assignedPlans: every plan of every license, `Deleted` where the license switches it off. */
const assignedPlans = (licenses: readonly AssignedLicense[]) =>
  licenses.flatMap((license) =>
    (findProduct(license.skuId)?.servicePlans ?? []).map((plan) => ({
      assignedDateTime: license.assignedAt,
      capabilityStatus: license.disabledPlans.includes(plan.servicePlanId)
        ? ("Deleted" as const)
        : ("Enabled" as const),
      service: serviceOf(plan),
      servicePlanId: plan.servicePlanId,
    })),
  );

/** Graph's licenseAssignmentStates: each (product, source) entry, given or held back and why. */
function licenseAssignmentStates(user: User) {
  const held = new Set(user.assignedLicenses.map((l) => l.skuId));
  return sourcesOf(user).map((source) => ({
    skuId: source.skuId,
    disabledPlans: [...source.disabledPlans],
    state: assignmentState(source, held),
    error: source.error ?? ("None" as const),
    assignedByGroup: source.groupId,
    lastUpdatedDateTime: source.updatedAt,
  }));
}

export const userRepresentation = (user: User): Representation<typeof userResponse> => ({
  id: user.id,
  userPrincipalName: user.userPrincipalName,
  displayName: user.displayName,
  accountEnabled: user.accountEnabled,
  mailNickname: user.mailNickname,
  ...user.profile,
  usageLocation: user.usageLocation,
  userType: user.userType,
  mailboxType: user.mailboxType,
  assignedLicenses: user.assignedLicenses.map(({ skuId, disabledPlans }) => ({
    skuId,
    disabledPlans: [...disabledPlans],
  })),
  assignedPlans: assignedPlans(user.assignedLicenses),
  // One entry per product and source: assigned directly, or inherited from a group (issue 19).
  licenseAssignmentStates: licenseAssignmentStates(user),
  createdDateTime: user.createdAt,
  litigationHold: user.litigationHold,
  ...(user.deletedAt ? { deletedDateTime: user.deletedAt } : {}),
  ...(user.retainedUntil ? { retainedUntil: user.retainedUntil } : {}),
});

/** A user answered alone (created, read, changed, restored): with Graph's `users/$entity` context. */
export const userEntityRepresentation = (
  requestUrl: string,
  user: User,
): Representation<typeof userEntity> => ({
  ...entityContextOf(requestUrl, "users"),
  ...userRepresentation(user),
});

export const groupRepresentation = (
  group: Group,
  processing?: GroupLicenseProcessing,
): Representation<typeof groupResponse> => ({
  id: group.id,
  displayName: group.displayName,
  mailNickname: group.mailNickname,
  description: group.description,
  securityEnabled: true,
  mailEnabled: false,
  groupTypes: [],
  createdDateTime: group.createdAt,
  assignedLicenses: group.assignedLicenses.map(({ skuId, disabledPlans }) => ({
    skuId,
    disabledPlans: [...disabledPlans],
  })),
  ...(processing ? { licenseProcessingState: processing } : {}),
});

/** A group answered alone (created, read): with Graph's `groups/$entity` context. */
export const groupEntityRepresentation = (
  requestUrl: string,
  group: Group,
): Representation<typeof groupEntity> => ({
  ...entityContextOf(requestUrl, "groups"),
  ...groupRepresentation(group),
});

/** A group in a user's memberOf, typed as Graph types it. */
export const memberOfRepresentation = (group: Group): Representation<typeof memberOfResponse> => ({
  "@odata.type": "#microsoft.graph.group",
  ...groupRepresentation(group),
});

/** A user in a group's members, typed as Graph types it. */
export const groupMemberRepresentation = (user: User): Representation<typeof groupMemberResponse> => ({
  "@odata.type": "#microsoft.graph.user",
  ...userRepresentation(user),
});

/** The tenant's organisation, its id the tenant's, as Graph's `organization`. */
export const organizationRepresentation = (
  tenantId: string,
  organization: Organization,
): Representation<typeof organizationResponse> => ({
  id: tenantId,
  displayName: organization.displayName,
  countryLetterCode: organization.countryLetterCode,
  tenantType: "AAD",
  createdDateTime: organization.createdAt,
});

const servicePlans = (product: Product) =>
  product.servicePlans.map(({ servicePlanId, servicePlanName, provisioningKind }) => ({
    servicePlanId,
    servicePlanName,
    provisioningKind,
    appliesTo: "User" as const,
  }));

export const skuRepresentation = (product: Product): Representation<typeof skuResponse> => ({
  skuId: product.skuId,
  skuPartNumber: product.skuPartNumber,
  displayName: product.displayName,
  servicePlans: servicePlans(product),
});

/** Graph's subscribedSku id: `{tenantId}_{skuId}`. */
export const subscribedSkuId = (tenantId: string, skuId: string): string => `${tenantId}_${skuId}`;

const guidText = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const subscribedSkuKey = new RegExp(`^(?:(${guidText})_)?(${guidText})$`, "i");

/**
 * The skuId a `subscribedSkus/{key}` path names: a skuId, or Graph's `{tenantId}_{skuId}` of the
 * caller's own tenant. Anything else, another tenant's id included, is not found.
 */
export function skuIdOfKey(key: string, tenantId: string): string {
  const match = subscribedSkuKey.exec(key);
  const [, tenant, skuId] = match ?? [];
  if (!skuId || (tenant !== undefined && tenant.toLowerCase() !== tenantId.toLowerCase()))
    throw notFound(`Subscribed SKU ${key}`);
  return skuId.toLowerCase();
}

export const subscribedSkuRepresentation = (
  { product, ledger, subscriptions }: SubscribedSku,
  tenantId: string,
): Representation<typeof subscribedSkuResponse> => {
  const seats = productSeats(ledger);
  const status = capabilityStatus(ledger, subscriptions);
  // The plans work while the product does: a Warning is a grace period, Suspended and LockedOut are not.
  const provisioningStatus = status === "Enabled" || status === "Warning" ? "Success" : "Disabled";
  return {
    id: subscribedSkuId(tenantId, product.skuId),
    accountId: tenantId,
    // Graph's account name is the tenant's (e.g. contoso); this service keeps none, so it shows the id.
    accountName: tenantId,
    appliesTo: "User",
    capabilityStatus: status,
    subscriptionIds: subscriptions.map((subscription) => subscription.id),
    ...skuRepresentation(product),
    servicePlans: servicePlans(product).map((plan) => ({ ...plan, provisioningStatus })),
    prepaidUnits: {
      enabled: seats.enabled,
      warning: ledger.warning,
      suspended: ledger.suspended,
      lockedOut: ledger.lockedOut,
    },
    consumedUnits: seats.consumed,
    availableUnits: seats.available,
    selfServiceUnits: seats.selfService,
  };
};

export const subscriptionRepresentation = (
  subscription: Subscription,
): Representation<typeof subscriptionResponse> => ({
  id: subscription.id,
  skuId: subscription.skuId,
  // A subscription is bought only for a product of the catalog; an id it no longer knows shows as is.
  skuPartNumber: findProduct(subscription.skuId)?.skuPartNumber ?? subscription.skuId,
  seats: subscription.seats,
  status: subscription.status,
  purchaseChannel: subscription.purchaseChannel,
  createdAt: subscription.createdAt,
});

/** A subscription answered alone, with its `subscriptions/$entity` context. */
export const subscriptionEntityRepresentation = (
  requestUrl: string,
  subscription: Subscription,
): Representation<typeof subscriptionEntity> => ({
  ...entityContextOf(requestUrl, "subscriptions"),
  ...subscriptionRepresentation(subscription),
});

/** 16 bytes of a GUID, in its text's order. */
const guidBytes = (guid: string): Buffer => Buffer.from(guid.replace(/-/g, ""), "hex");

/**
 * A licenseDetails id: opaque and stable as Graph's are, the same for a user's license on every read
 * and different for every user and product (base64url of the user's and the product's ids).
 */
export const licenseDetailsId = (userId: string, skuId: string): string =>
  Buffer.concat([guidBytes(userId), guidBytes(skuId)]).toString("base64url");

export const licenseDetailsRepresentation = (user: User): Representation<typeof licenseDetailsResponse>[] =>
  user.assignedLicenses.flatMap((license) => {
    const product = findProduct(license.skuId);
    if (!product) return [];
    return [
      {
        id: licenseDetailsId(user.id, product.skuId),
        skuId: product.skuId,
        skuPartNumber: product.skuPartNumber,
        servicePlans: product.servicePlans.map((plan) => {
          const status: ProvisioningStatus = license.disabledPlans.includes(plan.servicePlanId)
            ? "Disabled"
            : (license.planStatus[plan.servicePlanId] ?? "PendingProvisioning");
          return {
            servicePlanId: plan.servicePlanId,
            servicePlanName: plan.servicePlanName,
            provisioningStatus: status,
            appliesTo: "User" as const,
          };
        }),
      },
    ];
  });

/** One of a user's licenseDetails, by its id (case-sensitive, as it is base64url); NotFound otherwise. */
export function oneLicenseDetails(user: User, id: string): Representation<typeof licenseDetailsResponse> {
  const found = licenseDetailsRepresentation(user).find((details) => details.id === id);
  if (!found) throw notFound(`License details ${id} of user ${user.userPrincipalName}`);
  return found;
}

export const mailboxRepresentation = (user: User): Representation<typeof mailboxResponse> => {
  const { state, retainedUntil, sizeGB } = user.provisioning.mailbox;
  return {
    type: user.mailboxType,
    state,
    ...(retainedUntil ? { retainedUntil } : {}),
    sizeGB,
    ...(user.provisioning.mailbox.dataId ? { dataId: user.provisioning.mailbox.dataId } : {}),
    needsLicense: needsLicense(user),
    eDiscovery: eDiscovery(user.provisioning.mailbox),
  };
};

export const provisioningRepresentation = (user: User): Representation<typeof provisioningResponse> => {
  const p = user.provisioning;
  return {
    mailbox: mailboxRepresentation(user),
    teamSite: { url: "/sites/default", permission: p.teamSitePermission },
    skypeForBusiness: p.skypeForBusiness,
    teams: p.teams,
    officeApps: { entitled: p.officeApps, installs: p.officeInstalls, limit: officeInstallLimit },
  };
};

/**
 * `{ "@odata.nextLink" }`: the URL the caller used, absolute, with `skipToken` set, when there is a
 * next page. Graph's clients (the SDK's PageIterator) follow it as is.
 */
export function nextLinkOf(
  requestUrl: string,
  skipToken: string | undefined,
): { "@odata.nextLink"?: string } {
  if (skipToken === undefined) return {};
  const next = new URL(requestUrl);
  next.searchParams.set("skipToken", skipToken);
  return { "@odata.nextLink": next.toString() };
}

/**
 * `{ "@odata.context" }` of a collection, as Graph gives it: `<origin>/<prefix>/$metadata#<what>`,
 * the origin and the path prefix (`api`, `v1.0`) those of the URL the caller used.
 */
export function odataContextOf(requestUrl: string, what: string): { "@odata.context": string } {
  const url = new URL(requestUrl);
  const prefix = url.pathname.split("/")[1] ?? "";
  return { "@odata.context": `${url.origin}/${prefix}${prefix ? "/" : ""}$metadata#${what}` };
}

/** An entity set as a context names it: with the properties `$select` chose, as `users(id,displayName)`. */
export const selectedSet = (entitySet: string, selection: readonly string[] | undefined): string =>
  selection === undefined ? entitySet : `${entitySet}(${selection.join(",")})`;

/** `{ "@odata.context" }` of one entity answered alone, as Graph gives it: `…$metadata#users/$entity`. */
export const entityContextOf = (requestUrl: string, entitySet: string): { "@odata.context": string } =>
  odataContextOf(requestUrl, `${entitySet}/$entity`);

/** A job's progress, without its per-user results. */
export const jobRepresentation = (view: JobView) => ({
  jobId: view.job.id,
  status: view.status,
  operation: view.job.operation,
  total: view.job.total,
  processed: view.processed,
  succeeded: view.succeeded,
  failed: view.failed,
  licenses: view.job.licenses.map(({ skuId, disabledPlans }) => ({
    skuId,
    disabledPlans: [...disabledPlans],
  })),
  ...(view.job.group ? { groupId: view.job.group.id } : {}),
  createdAt: view.job.createdAt,
  ...(view.completedAt ? { completedAt: view.completedAt } : {}),
  ...(view.job.retryOf ? { retryOf: view.job.retryOf } : {}),
});
