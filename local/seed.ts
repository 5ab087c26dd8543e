// `npm run seed` (or `npm start -- --seed`): a demo tenant with the seeds' examples — Microsoft 365
// Business Standard with 25 seats of which 1 is assigned ("24 of 25 available"), Business Premium
// as two subscriptions of 5 and 8 (13 in all), a self-service Exchange Online (Plan 1) purchase
// and a few unlicensed users, in a Swedish organisation (Contoso Sverige AB, default usage location SE).
import { fileURLToPath } from "node:url";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import type { Actor } from "../shared/domain/model.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import { createUser } from "../shared/usecases/create-user.js";
import type { Deps } from "../shared/usecases/deps.js";
import { updateOrganization } from "../shared/usecases/update-organization.js";
import { demoAdminId, demoOrganization, demoTenantId } from "./demo-tenant.js";

function skuIdOf(partNumber: string): string {
  const product = findProductByPartNumber(partNumber);
  if (!product) throw new Error(`the catalog has no ${partNumber}`);
  return product.skuId;
}

export async function seedDemoTenant(deps: Deps, tenantId = demoTenantId): Promise<void> {
  const admin: Actor = { tenantId, objectId: demoAdminId, roles: ["GlobalAdministrator"] };
  const existing = await deps.store.listSubscriptions(tenantId);
  if (existing.length > 0) {
    console.log(`Demo tenant ${tenantId} is already seeded.`);
    return;
  }
  // First: the users below get its country as their usage location.
  await updateOrganization(deps, admin, tenantId, demoOrganization);
  const standard = skuIdOf("O365_BUSINESS_PREMIUM");
  const premium = skuIdOf("SPB");
  const exchange = skuIdOf("EXCHANGESTANDARD");
  await buySubscription(deps, admin, { skuId: standard, seats: 25, purchaseChannel: "Admin" });
  await buySubscription(deps, admin, { skuId: premium, seats: 5, purchaseChannel: "Admin" });
  await buySubscription(deps, admin, { skuId: premium, seats: 8, purchaseChannel: "Admin" });
  const selfService = await buySubscription(deps, admin, {
    skuId: exchange,
    seats: 2,
    purchaseChannel: "SelfService",
    selfServiceConsumed: 0,
  });

  await createUser(deps, admin, {
    userPrincipalName: "adele.vance@contoso.example",
    displayName: "Adele Vance",
    userType: "Member",
    mailboxType: "User",
    licenses: [{ skuId: standard }],
  });
  for (const [upn, name] of [
    ["alex.wilber@contoso.example", "Alex Wilber"],
    ["megan.bowen@contoso.example", "Megan Bowen"],
    ["lee.gu@contoso.example", "Lee Gu"],
  ] as const) {
    await createUser(deps, admin, {
      userPrincipalName: upn,
      displayName: name,
      userType: "Member",
      mailboxType: "User",
      licenses: [],
    });
  }
  await createUser(deps, admin, {
    userPrincipalName: "conf-room-oslo@contoso.example",
    displayName: "Conference room Oslo",
    userType: "Member",
    mailboxType: "Room",
    licenses: [],
  });
  await createUser(deps, admin, {
    userPrincipalName: "partner_fabrikam.example_ext@contoso.example",
    displayName: "Guest from Fabrikam",
    userType: "Guest",
    mailboxType: "User",
    licenses: [],
  });
  console.log(
    `Seeded demo tenant ${tenantId}: Business Standard 24 of 25 available, Business Premium 5 + 8 = 13 seats, ` +
      `a self-service Exchange Online (Plan 1) subscription ${selfService.value.id} (take it over to assign from it).`,
  );
}

// Run directly: seed the storage that the configuration (or the local default) points at.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { localServices } = await import("./local-services.js");
  const { services, stop } = await localServices({ inMemory: false });
  try {
    await seedDemoTenant(services.deps);
  } finally {
    await stop();
  }
}
