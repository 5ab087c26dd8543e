// The service's configuration and adapters for local runs: the environment as given, with the
// embedded defaults filled in (a development signing key, Azurite on its standard port).
import { connect } from "node:net";
import { createServices, type Services } from "../shared/composition.js";
import { type Config, loadConfig } from "../shared/config.js";
import { startAzurite, tableConnectionString } from "./azurite.js";
import { defaultBrokerPort, defaultTablesPort } from "./defaults.js";
import { devAudience, devIssuer, loadOrCreateDevKey } from "./dev-keys.js";
import { startBroker } from "./servicebus-broker/index.js";

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export interface LocalServices {
  readonly services: Services;
  readonly config: Config;
  /** What was started or defaulted, for the start banner. */
  readonly notes: readonly string[];
  readonly usesDevKey: boolean;
  stop(): Promise<void>;
}

export async function localServices(options: {
  inMemory: boolean;
  /** Port of the embedded Azurite (0: any free port); an Azurite already listening there is used. */
  tablesPort?: number;
  /** Port of the embedded broker (0: any free port); the default one falls back to any free port if taken. */
  brokerPort?: number;
}): Promise<LocalServices> {
  const tablesPort = options.tablesPort ?? defaultTablesPort;
  const brokerPort = options.brokerPort ?? defaultBrokerPort;
  const env: Record<string, string | undefined> = { ...process.env };
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];

  const usesDevKey = !env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY_PEM;
  if (usesDevKey) {
    env.AUTH_PUBLIC_KEY_PEM = (await loadOrCreateDevKey()).publicKeyPem;
    env.AUTH_ISSUER ??= devIssuer;
    env.AUTH_AUDIENCE ??= devAudience;
    notes.push("Tokens: the local development key in .local/ (npm run token signs with it)");
  }

  if (!env.TABLES_CONNECTION && !env.AzureWebJobsStorage && !env.TABLES_ENDPOINT) {
    if (tablesPort !== 0 && (await isListening(tablesPort))) {
      env.TABLES_CONNECTION = tableConnectionString(tablesPort);
      notes.push(`Table Storage: the Azurite already listening on 127.0.0.1:${tablesPort}`);
    } else {
      const azurite = await startAzurite({ port: tablesPort, inMemory: options.inMemory });
      stops.push(azurite.stop);
      env.TABLES_CONNECTION = azurite.connectionString;
      notes.push(
        `Table Storage: Azurite on 127.0.0.1:${azurite.port} (${options.inMemory ? "in memory" : "data in .local/azurite"})`,
      );
    }
  }

  if (!env.SERVICEBUS_CONNECTION && !env.SERVICEBUS_CONNECTION__fullyQualifiedNamespace) {
    const queue = env.PROVISIONING_QUEUE ?? "provisioning";
    // The default port falls back to any free one when taken; a port asked for is used or fails.
    const port = options.brokerPort === undefined && (await isListening(brokerPort)) ? 0 : brokerPort;
    // Settings as infra/ gives the Azure queue: 10 deliveries, 1 minute locks, 10 minutes of dedupe.
    const broker = await startBroker({
      port,
      queues: [
        { name: queue, maxDeliveryCount: 10, lockDurationMs: 60_000, duplicateDetectionWindowMs: 600_000 },
      ],
    });
    stops.push(broker.close);
    env.SERVICEBUS_CONNECTION = broker.connectionString;
    notes.push(`Service Bus: the local AMQP broker on 127.0.0.1:${broker.port}, queue "${queue}"`);
  }

  const config = loadConfig(env);
  const services = createServices(config);
  await services.ready();
  return {
    services,
    config,
    notes,
    usesDevKey,
    // Each in turn whatever the one before did, Azurite last: it saves what was written as it stops.
    stop: async () => {
      const errors: unknown[] = [];
      for (const stop of [services.close, ...stops.reverse()])
        await stop().catch((error) => errors.push(error));
      if (errors.length > 0) throw new AggregateError(errors, "Stopping the local services failed");
    },
  };
}
