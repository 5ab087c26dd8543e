// The service's configuration and adapters for local runs: the environment as given, with the
// embedded defaults filled in (a development signing key, Azurite on its standard port).
import { connect } from "node:net";
import { createServices, type Services } from "../shared/composition.js";
import { type Config, loadConfig } from "../shared/config.js";
import { startAzurite } from "./azurite.js";
import { devAudience, devIssuer, loadOrCreateDevKey } from "./dev-keys.js";

const azuriteTablePort = 10002;

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

export async function localServices(options: { inMemory: boolean }): Promise<LocalServices> {
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
    env.TABLES_CONNECTION = "UseDevelopmentStorage=true";
    if (await isListening(azuriteTablePort)) {
      notes.push(`Table Storage: the Azurite already listening on 127.0.0.1:${azuriteTablePort}`);
    } else {
      const azurite = await startAzurite({ port: azuriteTablePort, inMemory: options.inMemory });
      stops.push(azurite.stop);
      notes.push(
        `Table Storage: Azurite on 127.0.0.1:${azuriteTablePort} (${options.inMemory ? "in memory" : "data in .local/azurite"})`,
      );
    }
  }

  const config = loadConfig(env);
  const services = createServices(config);
  await services.ready();
  return {
    services,
    config,
    notes,
    usesDevKey,
    stop: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
