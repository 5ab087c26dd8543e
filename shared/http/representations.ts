// Domain records in the API's (Microsoft Graph's) shapes, each typed by the zod response schema the
// OpenAPI document shows: a field cannot be added to one without the other.
import type { z } from "zod";
import { findProduct, type Product } from "../domain/catalog.js";
import type { ProvisioningStatus, Subscription, User } from "../domain/model.js";
import { needsLicense, officeInstallLimit } from "../domain/provisioning.js";
import { eDiscovery } from "../domain/retention.js";
import { productSeats } from "../domain/seats.js";
import type { SubscribedSku } from "../usecases/read-subscribed-skus.js";
import type {
  licenseDetailsResponse,
  mailboxResponse,
  provisioningResponse,
  skuResponse,
  subscribedSkuResponse,
  subscriptionResponse,
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

export const userRepresentation = (user: User): Representation<typeof userResponse> => ({
  id: user.id,
  userPrincipalName: user.userPrincipalName,
  displayName: user.displayName,
  userType: user.userType,
  mailboxType: user.mailboxType,
  assignedLicenses: user.assignedLicenses.map(({ skuId, disabledPlans }) => ({
    skuId,
    disabledPlans: [...disabledPlans],
  })),
  createdDateTime: user.createdAt,
  litigationHold: user.litigationHold,
  ...(user.deletedAt ? { deletedDateTime: user.deletedAt } : {}),
  ...(user.retainedUntil ? { retainedUntil: user.retainedUntil } : {}),
});

const servicePlans = (product: Product) =>
  product.servicePlans.map(({ servicePlanId, servicePlanName, provisioningKind }) => ({
    servicePlanId,
    servicePlanName,
    provisioningKind,
  }));

export const skuRepresentation = (product: Product): Representation<typeof skuResponse> => ({
  skuId: product.skuId,
  skuPartNumber: product.skuPartNumber,
  displayName: product.displayName,
  servicePlans: servicePlans(product),
});

export const subscribedSkuRepresentation = ({
  product,
  ledger,
}: SubscribedSku): Representation<typeof subscribedSkuResponse> => {
  const seats = productSeats(ledger);
  return {
    ...skuRepresentation(product),
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

export const licenseDetailsRepresentation = (user: User): Representation<typeof licenseDetailsResponse>[] =>
  user.assignedLicenses.flatMap((license) => {
    const product = findProduct(license.skuId);
    if (!product) return [];
    return [
      {
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
          };
        }),
      },
    ];
  });

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

/** `{ nextLink }`: the URL the caller used with `skipToken` set, when there is a next page. */
export function nextLinkOf(requestUrl: string, skipToken: string | undefined): { nextLink?: string } {
  if (skipToken === undefined) return {};
  const next = new URL(requestUrl);
  next.searchParams.set("skipToken", skipToken);
  return { nextLink: next.toString() };
}
