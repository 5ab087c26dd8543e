// Shows one of a user's licenses with the state of each of its services:
// `node read-license-detail.mjs adele@contoso.com ENTERPRISEPACK`.
// As in Graph: GET /users/{id}/licenseDetails finds the license's id, then
// GET /users/{id}/licenseDetails/{id} reads that license alone.
import { client } from "./client.mjs";

const [userPrincipalName, skuPartNumber] = process.argv.slice(2);
if (!userPrincipalName || !skuPartNumber) {
  console.error("usage: node read-license-detail.mjs <userPrincipalName> <skuPartNumber>");
  process.exit(2);
}

const licenses = await client.api(`/users/${userPrincipalName}/licenseDetails`).get();
const listed = licenses.value.find((l) => l.skuPartNumber === skuPartNumber);
if (!listed) {
  console.error(`${userPrincipalName} has no ${skuPartNumber} license.`);
  process.exit(3);
}

const license = await client.api(`/users/${userPrincipalName}/licenseDetails/${listed.id}`).get();
console.log(`${license.skuPartNumber}\t${license.skuId}`);
for (const plan of license.servicePlans) {
  console.log(`${plan.servicePlanName}\t${plan.provisioningStatus}`);
}
