// Builds the real adapters once per process (the JWKS cache and storage clients included) and hands
// them to every function. The local host and tests install their own with `useServices`.
import { randomUUID } from "node:crypto";
import { createTokenVerifier, type TokenVerifier } from "./auth/token-verifier.js";
import { type Config, loadConfig } from "./config.js";
import { createTableClient, ensureTable } from "./storage/table-client.js";
import { TenantStore } from "./storage/tenant-store.js";
import type { Clock, Deps, Logger } from "./usecases/deps.js";
import { KeyedLock } from "./usecases/keyed-lock.js";

export interface Services {
  readonly config: Config;
  readonly deps: Deps;
  readonly verifyToken: TokenVerifier;
  /** Resolves once storage is usable (the table exists); retried after a failure. */
  readonly ready: () => Promise<void>;
  readonly checkStorage: () => Promise<boolean>;
}

export const systemClock: Clock = { now: () => new Date() };

const consoleLogger: Logger = {
  info: (message, properties) => console.info(message, properties ?? ""),
  warn: (message, properties) => console.warn(message, properties ?? ""),
  error: (message, properties) => console.error(message, properties ?? ""),
};

export function createServices(config: Config, options: { clock?: Clock; logger?: Logger } = {}): Services {
  const tableClient = createTableClient(config);
  let table: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    table ??= ensureTable(tableClient).catch((error: unknown) => {
      table = undefined;
      throw error;
    });
    return table;
  };
  return {
    config,
    deps: {
      store: new TenantStore(tableClient),
      clock: options.clock ?? systemClock,
      newId: randomUUID,
      tenantLock: new KeyedLock(),
      logger: options.logger ?? consoleLogger,
    },
    verifyToken: createTokenVerifier(config.auth),
    ready,
    checkStorage: async () => {
      try {
        await ready();
        await tableClient
          .listEntities({ queryOptions: { filter: "PartitionKey eq '-'" } })
          .byPage({ maxPageSize: 1 })
          .next();
        return true;
      } catch {
        return false;
      }
    },
  };
}

let current: Services | undefined;

export function getServices(): Services {
  current ??= createServices(loadConfig());
  return current;
}

export function useServices(services: Services): void {
  current = services;
}
