// Puts a product on a group with one of its services switched off, waits until every member has
// been given it, and shows that members hold it through the group:
// `node license-group.mjs <groupId> ENTERPRISEPACK SWAY`.
// As in Graph: POST /groups/{id}/assignLicense answers 202 at once and the members are licensed in
// the background; GET /groups/{id}?$select=licenseProcessingState says when that is done, and each
// member's licenseAssignmentStates names the group in assignedByGroup.
import { client } from "./client.mjs";

const [groupId, skuPartNumber, servicePlanName] = process.argv.slice(2);
if (!groupId || !skuPartNumber || !servicePlanName) {
  console.error("usage: node license-group.mjs <groupId> <skuPartNumber> <servicePlanName>");
  process.exit(2);
}
// Entra ID can take minutes; this service, seconds. Either way the wait has an end.
const pollEveryMs = 500;
const giveUpAfterMs = 120_000;

const subscribedSkus = await client.api("/subscribedSkus").get();
const sku = subscribedSkus.value.find((s) => s.skuPartNumber === skuPartNumber);
if (!sku) throw new Error(`The tenant has not bought ${skuPartNumber}.`);
const plan = sku.servicePlans.find((p) => p.servicePlanName === servicePlanName);
if (!plan) throw new Error(`${skuPartNumber} has no service plan ${servicePlanName}.`);

const group = await client.api(`/groups/${groupId}/assignLicense`).post({
  addLicenses: [{ disabledPlans: [plan.servicePlanId], skuId: sku.skuId }],
  removeLicenses: [],
});
console.log(
  `${group.displayName} carries ${skuPartNumber} without ${servicePlanName}\t${group.licenseProcessingState.state}`,
);

let processing = group.licenseProcessingState;
const deadline = Date.now() + giveUpAfterMs;
while (processing.state !== "ProcessingComplete") {
  if (Date.now() > deadline) {
    console.error(`Still ${processing.state} after ${giveUpAfterMs / 1000} s; try again later.`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, pollEveryMs));
  ({ licenseProcessingState: processing } = await client
    .api(`/groups/${groupId}`)
    .select("licenseProcessingState")
    .get());
}
// membersTotal, membersProcessed and membersInError are this service's; Graph sends state alone.
console.log(
  `${processing.state}\t${processing.membersProcessed} of ${processing.membersTotal} members, ${processing.membersInError} in error`,
);

const members = await client.api(`/groups/${groupId}/members`).top(5).get();
for (const member of members.value) {
  const user = await client
    .api(`/users/${member.id}`)
    .select("userPrincipalName,licenseAssignmentStates")
    .get();
  const inherited = user.licenseAssignmentStates.find(
    (s) => s.skuId === sku.skuId && s.assignedByGroup === groupId,
  );
  if (inherited) {
    console.log(`${user.userPrincipalName}\t${skuPartNumber} assignedByGroup ${groupId}\t${inherited.state}`);
  } else {
    console.log(`${user.userPrincipalName}\tholds no ${skuPartNumber} from the group`);
    process.exitCode = 1;
  }
}
