// Assigns a product to a user with one of its services switched off:
// `node assign-with-plan-off.mjs adele@contoso.com ENTERPRISEPACK SWAY`.
import { client } from "./client.mjs";

const [userPrincipalName, skuPartNumber, servicePlanName] = process.argv.slice(2);
if (!userPrincipalName || !skuPartNumber || !servicePlanName) {
  console.error("usage: node assign-with-plan-off.mjs <userPrincipalName> <skuPartNumber> <servicePlanName>");
  process.exit(2);
}

const subscribedSkus = await client.api("/subscribedSkus").get();
const sku = subscribedSkus.value.find((s) => s.skuPartNumber === skuPartNumber);
if (!sku) throw new Error(`The tenant has not bought ${skuPartNumber}.`);
const plan = sku.servicePlans.find((p) => p.servicePlanName === servicePlanName);
if (!plan) throw new Error(`${skuPartNumber} has no service plan ${servicePlanName}.`);

const userAssignLicense = {
  addLicenses: [{ disabledPlans: [plan.servicePlanId], skuId: sku.skuId }],
  removeLicenses: [],
};
const user = await client.api(`/users/${userPrincipalName}/assignLicense`).post(userAssignLicense);
const assigned = user.assignedLicenses.find((l) => l.skuId === sku.skuId);
console.log(`${user.userPrincipalName} has ${skuPartNumber} without ${assigned.disabledPlans.join(", ")}`);
