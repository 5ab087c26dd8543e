// Creates a user with the body Graph's docs give for POST /users:
// `node create-user.mjs adele@contoso.com "Adele Vance"`.
// The temporary password is made here and printed once, as the admin center shows it; the user
// changes it at first sign-in. (This service checks passwordProfile and keeps no password.)
import { randomBytes } from "node:crypto";
import { client } from "./client.mjs";

const [userPrincipalName, displayName] = process.argv.slice(2);
if (!userPrincipalName || !displayName) {
  console.error('usage: node create-user.mjs <userPrincipalName> "<displayName>"');
  process.exit(2);
}

// Letters and digits at random, then a symbol and a digit: Entra ID's complexity rule is met.
const password = `${randomBytes(12).toString("base64url")}#7`;
const user = {
  accountEnabled: true,
  displayName,
  mailNickname: userPrincipalName.split("@")[0],
  userPrincipalName,
  passwordProfile: {
    forceChangePasswordNextSignIn: true,
    password,
  },
};

const created = await client.api("/users").post(user);
console.log(`${created.userPrincipalName}\t${created.id}\taccountEnabled ${created.accountEnabled}`);
console.log(`Temporary password: ${password}`);
