// Assigns a product and, when the tenant has run out of seats, says how many are missing:
// `node handle-count-violation.mjs adele@contoso.com ENTERPRISEPACK`.
// As with Graph, the SDK throws a GraphError whose `code` is the service's error code.
import { GraphError } from "@microsoft/microsoft-graph-client";
import { client } from "./client.mjs";

const [userPrincipalName, skuPartNumber] = process.argv.slice(2);
if (!userPrincipalName || !skuPartNumber) {
  console.error("usage: node handle-count-violation.mjs <userPrincipalName> <skuPartNumber>");
  process.exit(2);
}

const subscribedSkus = await client.api("/subscribedSkus").get();
const sku = subscribedSkus.value.find((s) => s.skuPartNumber === skuPartNumber);
if (!sku) throw new Error(`The tenant has not bought ${skuPartNumber}.`);

try {
  await client
    .api(`/users/${userPrincipalName}/assignLicense`)
    .post({ addLicenses: [{ skuId: sku.skuId, disabledPlans: [] }], removeLicenses: [] });
  console.log(`${userPrincipalName} now has ${skuPartNumber}`);
} catch (error) {
  if (error instanceof GraphError && error.code === "CountViolation") {
    console.log(`No seat left (${error.statusCode} ${error.code}): ${error.message}`);
    process.exitCode = 3;
  } else {
    throw error;
  }
}
