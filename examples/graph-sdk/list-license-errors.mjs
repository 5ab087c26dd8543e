// Lists the groups some of whose members could not be given the group's licenses, and those
// members with the reason: `node list-license-errors.mjs`.
// As in Graph: GET /groups?$filter=hasMembersWithLicenseErrors eq true, then
// GET /groups/{id}/membersWithLicenseErrors, and each member's licenseAssignmentStates.
import { client } from "./client.mjs";

const subscribedSkus = await client.api("/subscribedSkus").get();
const partNumber = new Map(subscribedSkus.value.map((s) => [s.skuId, s.skuPartNumber]));

const groups = await client
  .api("/groups")
  .filter("hasMembersWithLicenseErrors eq true")
  .select("id,displayName")
  .get();
if (groups.value.length === 0) console.log("No group has members with license errors.");

for (const group of groups.value) {
  console.log(`${group.displayName}\t${group.id}`);
  const members = await client.api(`/groups/${group.id}/membersWithLicenseErrors`).get();
  for (const member of members.value) {
    const user = await client
      .api(`/users/${member.id}`)
      .select("userPrincipalName,licenseAssignmentStates")
      .get();
    const held = user.licenseAssignmentStates.filter(
      (s) => s.assignedByGroup === group.id && s.error !== "None",
    );
    for (const s of held) {
      console.log(
        `  ${user.userPrincipalName}\t${partNumber.get(s.skuId) ?? s.skuId}\t${s.state}\t${s.error}`,
      );
    }
  }
}
