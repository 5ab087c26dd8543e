// Creates a security group and adds two users as members, each the way Graph's docs show:
// `node create-group.mjs "Sales team" adele@contoso.com alex@contoso.com`.
// The first joins with POST /groups/{id}/members/$ref, the second with PATCH and
// members@odata.bind; then the script lists the members and the first user's memberOf.
import { client } from "./client.mjs";

const [displayName, first, second] = process.argv.slice(2);
if (!displayName || !first || !second) {
  console.error('usage: node create-group.mjs "<displayName>" <userPrincipalName> <userPrincipalName>');
  process.exit(2);
}

const group = await client.api("/groups").post({
  displayName,
  mailNickname: displayName.replace(/[^A-Za-z0-9]/g, "").toLowerCase(),
  mailEnabled: false,
  securityEnabled: true,
  description: `${displayName}, made with the Graph JavaScript SDK`,
});
console.log(`${group.displayName}\t${group.id}`);

// Graph names a member by its directory object URL, so each user's id is read first.
const [firstUser, secondUser] = await Promise.all(
  [first, second].map((userPrincipalName) => client.api(`/users/${userPrincipalName}`).select("id").get()),
);

await client.api(`/groups/${group.id}/members/$ref`).post({
  "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${firstUser.id}`,
});
console.log(`${first}\tadded with members/$ref`);

await client.api(`/groups/${group.id}`).patch({
  "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${secondUser.id}`],
});
console.log(`${second}\tadded with members@odata.bind`);

const members = await client.api(`/groups/${group.id}/members`).get();
for (const member of members.value) console.log(`member\t${member.userPrincipalName}`);

const memberOf = await client.api(`/users/${firstUser.id}/memberOf`).get();
for (const joined of memberOf.value) console.log(`${first} is a member of\t${joined.displayName}`);
