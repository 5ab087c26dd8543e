// `npm run token -- --tenant <tid> --role <Role> [--role <Role>] [--oid <id>] [--expires 1h]`:
// prints a bearer token signed with the local development key.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { isRole, roleNames } from "../shared/domain/roles.js";
import { demoTenantId } from "./demo-tenant.js";
import { loadOrCreateDevKey, signDevToken } from "./dev-keys.js";

const { values } = parseArgs({
  options: {
    tenant: { type: "string", default: demoTenantId },
    role: { type: "string", multiple: true, default: ["GlobalAdministrator"] },
    oid: { type: "string" },
    expires: { type: "string", default: "1h" },
  },
});

const unknown = values.role.filter((role) => !isRole(role));
if (unknown.length > 0) {
  console.error(`Unknown role(s) ${unknown.join(", ")}; known: ${roleNames.join(", ")}`);
  process.exit(2);
}
const { privateJwk } = await loadOrCreateDevKey();
const token = await signDevToken(privateJwk, {
  tenantId: values.tenant,
  roles: values.role,
  objectId: values.oid ?? randomUUID(),
  expiresIn: values.expires,
  // Match a local run whose issuer or audience was overridden in the environment.
  ...(process.env.AUTH_ISSUER ? { issuer: process.env.AUTH_ISSUER } : {}),
  ...(process.env.AUTH_AUDIENCE ? { audience: process.env.AUTH_AUDIENCE } : {}),
});
console.log(token);
