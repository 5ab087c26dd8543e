// Applies every group of a user's again, as the admin center's "Reprocess" button does, and shows
// the user's license assignments before and after: `node reprocess-user.mjs adele@contoso.com`.
// As in Graph: POST /users/{id}/reprocessLicenseAssignment, which answers with the user. The
// JavaScript SDK has no typed builder for it (nor for any route), so it goes through .api().
import { client } from "./client.mjs";

const [userPrincipalName] = process.argv.slice(2);
if (!userPrincipalName) {
  console.error("usage: node reprocess-user.mjs <userPrincipalName>");
  process.exit(2);
}

const subscribedSkus = await client.api("/subscribedSkus").get();
const partNumber = new Map(subscribedSkus.value.map((s) => [s.skuId, s.skuPartNumber]));
const describe = (s) =>
  `${partNumber.get(s.skuId) ?? s.skuId}\t${s.assignedByGroup ? `group ${s.assignedByGroup}` : "direct"}\t${s.state}\t${s.error}`;

const before = await client.api(`/users/${userPrincipalName}`).select("licenseAssignmentStates").get();
for (const s of before.licenseAssignmentStates) console.log(`before\t${describe(s)}`);

const user = await client.api(`/users/${userPrincipalName}/reprocessLicenseAssignment`).post({});
for (const s of user.licenseAssignmentStates) console.log(`after\t${describe(s)}`);
