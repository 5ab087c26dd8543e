// `npm start`: Azurite, the local Service Bus broker, then the local host serving every registered
// function on http://localhost:7071/api/... and /v1.0/... (https with --https), and the admin console
// on http://localhost:7071/. Flags: see `usage` (npm start -- --help).
import { constants } from "node:os";
import { parseArgs } from "node:util";
import { defaultBrokerPort, defaultCertificateDir, defaultTablesPort } from "./defaults.js";

const usage = `Usage: npm start -- [options]

Runs the service locally: Azurite's Table service, the local Service Bus broker, and the local host
on http://localhost:$PORT/api and /v1.0 (PORT defaults to 7071), with the admin console on
http://localhost:$PORT/ (built into dist/console first when missing or stale). A storage or Service
Bus setting in the environment replaces the embedded Azurite or broker (docs/configuration.md).

Options:
  --in-memory          keep Azurite's data in memory only (default: on disk in .local/azurite)
  --seed               create the demo tenant's data
  --tables-port <n>    port of the embedded Azurite Table service (default ${defaultTablesPort}; 0: any free port)
  --broker-port <n>    port of the embedded Service Bus broker (default ${defaultBrokerPort}; 0: any free port)
  --https              serve https with a development certificate for localhost, made on first use
                       in ${defaultCertificateDir} and reused (as func start --useHttps); the Graph
                       SDK sends tokens only over https. Trust it with NODE_EXTRA_CA_CERTS=<cert.pem>
  --verbose            log each function's output
  -h, --help           print this help and exit

Ctrl+C, SIGTERM or SIGHUP stops it: requests under way are answered, and Azurite saves its data.`;

/** A mistake on the command line: one line saying what, then the usage, and exit 2. */
function refuse(message: string): never {
  console.error(`npm start: ${message}

${usage}`);
  process.exit(2);
}

function parseFlags() {
  try {
    return parseArgs({
      options: {
        "in-memory": { type: "boolean", default: false },
        seed: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        https: { type: "boolean", default: false },
        "tables-port": { type: "string" },
        "broker-port": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    // parseArgs says what is wrong in its message (unknown option, missing value, stray argument).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const option = /'([^']+)'/.exec((error as Error).message)?.[1] ?? "";
      refuse(`unknown option ${option}`);
    }
    if (code?.startsWith("ERR_PARSE_ARGS_")) refuse((error as Error).message.split("\n")[0] ?? "");
    throw error;
  }
}

function portFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    refuse(`--${name} must be a port number (0 to 65535), not ${value}`);
  return port;
}

const flags = parseFlags();
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const tablesPort = portFlag("tables-port", flags["tables-port"], defaultTablesPort);
const brokerPort = portFlag("broker-port", flags["broker-port"], defaultBrokerPort);

// The app only now that the command line is known to be good: --help and a refusal answer at once.
const [
  { functions },
  { useServices },
  { bindingSettings, ConfigError },
  { ensureConsoleBuilt },
  { demoTenantId },
  { loadOrCreateDevCertificate },
  { startLocalHost },
  { localServices },
  { seedDemoTenant },
  { startTriggers },
] = await Promise.all([
  import("../functions/registry.js"),
  import("../shared/composition.js"),
  import("../shared/config.js"),
  import("./console-build.js"),
  import("./demo-tenant.js"),
  import("./dev-certificate.js"),
  import("./host.js"),
  import("./local-services.js"),
  import("./seed.js"),
  import("./triggers.js"),
]);

try {
  const local = await localServices({ inMemory: flags["in-memory"], tablesPort, brokerPort });
  useServices(local.services);
  if (flags.seed) await seedDemoTenant(local.services.deps);
  // The admin console is static files the app itself serves (functions/console.ts): built on the
  // first start and again whenever its sources changed.
  if ((await ensureConsoleBuilt()) === "built") console.log("Admin console built into dist/console");
  const certificate = flags.https ? await loadOrCreateDevCertificate() : undefined;
  const host = await startLocalHost({
    functions,
    port: local.config.port,
    verbose: flags.verbose,
    ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
  });
  const settings = bindingSettings(local.config);
  const triggers = startTriggers({
    functions,
    serviceBus: local.services.serviceBus,
    setting: (name) => settings[name],
    verbose: flags.verbose,
  });
  const origin = `${certificate ? "https" : "http"}://localhost:${host.port}`;
  const api = `${origin}/api`;
  console.log(`\nAdmin console: ${origin}/ (sign in with a token, see below)`);
  console.log(`License assignment service on ${api} (and ${origin}/v1.0 for Graph clients)`);
  for (const note of local.notes) console.log(`  ${note}`);
  if (certificate) {
    console.log(
      `  TLS: development certificate ${certificate.certPath} (${certificate.created ? "made now" : "reused"});`,
    );
    console.log(`  trust it from Node with NODE_EXTRA_CA_CERTS=${certificate.certPath}`);
    console.log(`  e.g. NODE_EXTRA_CA_CERTS=${certificate.certPath} node my-graph-script.mjs`);
  }
  console.log(`  OpenAPI: ${api}/openapi.json   Health: ${api}/health`);
  if (local.usesDevKey) {
    console.log("\nGet a token and call it:");
    console.log(`  TOKEN=$(npm run -s token -- --tenant ${demoTenantId} --role GlobalAdministrator)`);
    const trust = certificate ? ` --cacert ${certificate.certPath}` : "";
    console.log(`  curl${trust} -H "Authorization: Bearer $TOKEN" ${api}/subscribedSkus`);
    if (!flags.seed) console.log("  (npm start -- --seed, or npm run seed, creates that demo tenant's data)");
  }
  console.log("\nPut a producer's event on the queue (edit the user id in it first):");
  console.log("  npm run send-event -- examples/events/user-offboarded.json");
  console.log("\nCtrl+C stops.");

  // Ctrl+C (SIGINT), SIGTERM (an IDE, a process manager, docker stop) and SIGHUP (the terminal
  // closing) alike: the host answers what is under way and takes no more, then the triggers, the
  // broker and Azurite stop, Azurite saving what was written (local/azurite.ts); then the exit status
  // a signal's default gives, 128 + its number. Signals during the stop are ignored (one Ctrl+C can
  // arrive twice, from the terminal and passed on by tsx): Azurite's save is not cut short.
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    let failed = false;
    for (const [what, close] of [
      ["the host", host.close],
      ["the triggers", triggers.close],
      ["storage, the broker and Azurite", local.stop],
    ] as const) {
      try {
        await close();
      } catch (error) {
        failed = true;
        console.error(`Stopping ${what} failed:`, error);
      }
    }
    console.log("Stopped.");
    process.exit(failed ? 1 : 128 + (constants.signals[signal] ?? 0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
