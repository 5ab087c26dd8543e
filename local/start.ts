// `npm start`: Azurite, then the local host serving every registered function on
// http://localhost:7071/api/... Flags: --in-memory (no data on disk), --seed (demo tenant), --verbose.
import { parseArgs } from "node:util";
import { functions } from "../functions/registry.js";
import { useServices } from "../shared/composition.js";
import { bindingSettings, ConfigError } from "../shared/config.js";
import { demoTenantId } from "./demo-tenant.js";
import { startLocalHost } from "./host.js";
import { localServices } from "./local-services.js";
import { seedDemoTenant } from "./seed.js";
import { startTriggers } from "./triggers.js";

const { values: flags } = parseArgs({
  options: {
    "in-memory": { type: "boolean", default: false },
    seed: { type: "boolean", default: false },
    verbose: { type: "boolean", default: false },
  },
});

try {
  const local = await localServices({ inMemory: flags["in-memory"] });
  useServices(local.services);
  if (flags.seed) await seedDemoTenant(local.services.deps);
  const host = await startLocalHost({ functions, port: local.config.port, verbose: flags.verbose });
  const settings = bindingSettings(local.config);
  const triggers = startTriggers({
    functions,
    serviceBus: local.services.serviceBus,
    setting: (name) => settings[name],
    verbose: flags.verbose,
  });
  const api = `http://localhost:${host.port}/api`;
  console.log(`\nLicense assignment service on ${api}`);
  for (const note of local.notes) console.log(`  ${note}`);
  console.log(`  OpenAPI: ${api}/openapi.json   Health: ${api}/health`);
  if (local.usesDevKey) {
    console.log("\nGet a token and call it:");
    console.log(`  TOKEN=$(npm run -s token -- --tenant ${demoTenantId} --role GlobalAdministrator)`);
    console.log(`  curl -H "Authorization: Bearer $TOKEN" ${api}/subscribedSkus`);
    if (!flags.seed) console.log("  (npm start -- --seed, or npm run seed, creates that demo tenant's data)");
  }
  console.log("\nPut a producer's event on the queue (edit the user id in it first):");
  console.log("  npm run send-event -- examples/events/user-offboarded.json");
  console.log("\nCtrl+C stops.");

  const shutdown = async () => {
    await host.close();
    await triggers.close();
    await local.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
