// Assigns a product to up to 20 users in one round trip with JSON batching:
// `node batch-assign.mjs ENTERPRISEPACK adele@contoso.com alex@contoso.com …`.
import { BatchRequestContent, BatchResponseContent } from "@microsoft/microsoft-graph-client";
import { client } from "./client.mjs";

const [skuPartNumber, ...userPrincipalNames] = process.argv.slice(2);
if (!skuPartNumber || userPrincipalNames.length === 0 || userPrincipalNames.length > 20) {
  console.error("usage: node batch-assign.mjs <skuPartNumber> <userPrincipalName> … (1 to 20 users)");
  process.exit(2);
}

const subscribedSkus = await client.api("/subscribedSkus").get();
const sku = subscribedSkus.value.find((s) => s.skuPartNumber === skuPartNumber);
if (!sku) throw new Error(`The tenant has not bought ${skuPartNumber}.`);

const baseUrl = process.env.LICENSES_BASE_URL ?? "https://localhost:7071";
const steps = userPrincipalNames.map((userPrincipalName, index) => ({
  id: String(index + 1),
  request: new Request(`${baseUrl}/users/${userPrincipalName}/assignLicense`, {
    method: "POST",
    body: JSON.stringify({ addLicenses: [{ skuId: sku.skuId, disabledPlans: [] }], removeLicenses: [] }),
    headers: { "Content-Type": "application/json" },
  }),
}));
const batchRequestContent = new BatchRequestContent(steps);
const content = await batchRequestContent.getContent();
const batchResponse = new BatchResponseContent(await client.api("/$batch").post(content));

let failed = 0;
for (const [id, response] of batchResponse.getResponses()) {
  const userPrincipalName = userPrincipalNames[Number(id) - 1];
  const body = await response.json();
  if (response.ok) console.log(`${userPrincipalName}\tassigned`);
  else {
    failed++;
    console.log(`${userPrincipalName}\t${response.status} ${body.error.code}: ${body.error.message}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
