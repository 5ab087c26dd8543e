// Lists the products the tenant has bought, with the seats left: `node list-products.mjs`.
// As in Graph: GET /subscribedSkus, keeping the products whose capabilityStatus is Enabled.
import { client } from "./client.mjs";

const subscribedSkus = await client.api("/subscribedSkus").get();
for (const sku of subscribedSkus.value.filter((s) => s.capabilityStatus === "Enabled")) {
  const available = sku.prepaidUnits.enabled - sku.consumedUnits;
  console.log(`${sku.skuPartNumber}\t${sku.skuId}\t${available} of ${sku.prepaidUnits.enabled} available`);
}
