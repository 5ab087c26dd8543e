// The one thing these scripts do differently from a script written for Microsoft Graph: the host
// and the token. Everything else is the Graph JavaScript SDK used as Graph's own docs use it.
import { Client } from "@microsoft/microsoft-graph-client";

const baseUrl = process.env.LICENSES_BASE_URL ?? "https://localhost:7071";
const token = process.env.LICENSES_TOKEN;
if (!token) {
  console.error("Set LICENSES_TOKEN to a bearer token (npm run token prints one).");
  process.exit(2);
}

export const client = Client.init({
  baseUrl,
  // The SDK sends the token only to Graph itself and to the hosts named here (and only over https).
  customHosts: new Set([new URL(baseUrl).hostname]),
  authProvider: (done) => done(null, token),
});
