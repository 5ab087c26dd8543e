// Domain records in the API's (Microsoft Graph's) shapes.
import { findProduct, type Product } from "../domain/catalog.js";
import type { ProvisioningStatus, Subscription, User } from "../domain/model.js";
import { needsLicense, officeInstallLimit } from "../domain/provisioning.js";
import { eDiscovery } from "../domain/retention.js";
import { productSeats } from "../domain/seats.js";
import type { SubscribedSku } from "../usecases/read-licenses.js";

export const userRepresentation = (user: User) => ({
  id: user.id,
  userPrincipalName: user.userPrincipalName,
  displayName: user.displayName,
  userType: user.userType,
  mailboxType: user.mailboxType,
  assignedLicenses: user.assignedLicenses.map(({ skuId, disabledPlans }) => ({ skuId, disabledPlans })),
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

export const skuRepresentation = (product: Product) => ({
  skuId: product.skuId,
  skuPartNumber: product.skuPartNumber,
  displayName: product.displayName,
  servicePlans: servicePlans(product),
});

export const subscribedSkuRepresentation = ({ product, ledger }: SubscribedSku) => {
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

export const subscriptionRepresentation = (subscription: Subscription) => ({
  id: subscription.id,
  skuId: subscription.skuId,
  skuPartNumber: findProduct(subscription.skuId)?.skuPartNumber,
  seats: subscription.seats,
  status: subscription.status,
  purchaseChannel: subscription.purchaseChannel,
  createdAt: subscription.createdAt,
});

export const licenseDetailsRepresentation = (user: User) =>
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

export const mailboxRepresentation = (user: User) => {
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

export const provisioningRepresentation = (user: User) => {
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
