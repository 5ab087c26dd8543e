// Lists every user holding a product, page after page: `node list-holders.mjs ENTERPRISEPACK`.
// As in Graph: $filter on assignedLicenses with $select and $top, followed by a PageIterator.
import { PageIterator } from "@microsoft/microsoft-graph-client";
import { client } from "./client.mjs";

const [skuPartNumber] = process.argv.slice(2);
if (!skuPartNumber) {
  console.error("usage: node list-holders.mjs <skuPartNumber>");
  process.exit(2);
}

const subscribedSkus = await client.api("/subscribedSkus").get();
const sku = subscribedSkus.value.find((s) => s.skuPartNumber === skuPartNumber);
if (!sku) throw new Error(`The tenant has not bought ${skuPartNumber}.`);

const response = await client
  .api("/users")
  .filter(`assignedLicenses/any(x:x/skuId eq ${sku.skuId})`)
  .select("id,displayName,userPrincipalName")
  .top(10)
  .get();

let count = 0;
const pageIterator = new PageIterator(client, response, (user) => {
  count++;
  console.log(`${user.userPrincipalName}\t${user.displayName}`);
  return true; // keep going
});
await pageIterator.iterate();
console.log(`${count} user(s) hold ${skuPartNumber}`);
