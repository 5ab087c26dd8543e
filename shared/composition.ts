// Builds the real adapters once per process (the JWKS cache and storage clients included) and hands
// them to every function. The local host and tests install their own with `useServices`.
import { randomUUID } from "node:crypto";
import type { ServiceBusClient, ServiceBusReceiver } from "@azure/service-bus";
import { createTokenVerifier, type TokenVerifier } from "./auth/token-verifier.js";
import { KeyedLock } from "./concurrency/keyed-lock.js";
import { type Config, loadConfig } from "./config.js";
import { serviceBusConcurrency } from "./function-definition.js";
import { Outbox } from "./messaging/outbox.js";
import { createServiceBusClient } from "./messaging/service-bus-client.js";
import { ServiceBusPublisher } from "./messaging/service-bus-publisher.js";
import { OutboxStore } from "./storage/outbox-store.js";
import { RejectedEventStore } from "./storage/rejected-event-store.js";
import { RetentionIndex } from "./storage/retention-index.js";
import { createTableClient, ensureTable, isEmulatedTable } from "./storage/table-client.js";
import { TenantRecords } from "./storage/tenant-records.js";
import { UnfinishedJobs } from "./storage/unfinished-jobs.js";
import { createProvisioningBatcher } from "./usecases/apply-provisioning.js";
import type { Clock, Deps, EventPublisher, Logger } from "./usecases/deps.js";

export interface Services {
  readonly config: Config;
  readonly deps: Deps;
  readonly serviceBus: ServiceBusClient;
  readonly verifyToken: TokenVerifier;
  /**
   * Resolves once storage is usable (the table exists); retried after a failure. A table that goes
   * missing later is created again by the storage client itself, on the request that finds it so.
   */
  readonly ready: () => Promise<void>;
  /** Whether storage answers, decided within `healthCheckTimeoutMs` (false when it does not). */
  readonly checkStorage: () => Promise<boolean>;
  /** Whether the queue answers, likewise. */
  readonly checkQueue: () => Promise<boolean>;
  /** Closes the queue connections (tests, shutdown). */
  readonly close: () => Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };

/** Health answers within 2 s even when a dependency hangs: each check gets this long. */
const healthCheckTimeoutMs = 1_500;

/** `check()` if it succeeds in time; false if it fails or has not answered by then. */
async function answersWithin(
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<unknown>,
): Promise<boolean> {
  const deadline = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      deadline.abort();
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      check(deadline.signal).then(
        () => true,
        () => false,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const consoleLogger: Logger = {
  info: (message, properties) => console.info(message, properties ?? ""),
  warn: (message, properties) => console.warn(message, properties ?? ""),
  error: (message, properties) => console.error(message, properties ?? ""),
};

export function createServices(
  config: Config,
  options: {
    clock?: Clock;
    logger?: Logger;
    /** Wraps the real publisher (tests simulate a crash between commit and send with it). */
    publisher?: (real: EventPublisher) => EventPublisher;
  } = {},
): Services {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? consoleLogger;
  const tableClient = createTableClient(config, {
    onTableCreatedAgain: () =>
      logger.warn("storage: the table was missing and has been created again; its records are gone", {
        table: config.tables.tableName,
      }),
  });
  const serviceBus = createServiceBusClient(config);
  // The publisher gets a connection of its own: sharing one with a busy receiver queued the small
  // send frames behind its traffic (tens of milliseconds per send, measured with the local broker).
  const publishing = createServiceBusClient(config);
  const realPublisher = new ServiceBusPublisher(publishing, config.provisioningQueue);
  const publisher = options.publisher ? options.publisher(realPublisher) : realPublisher;
  const store = new TenantRecords(tableClient, { rangeReads: !isEmulatedTable(config) });
  const outboxStore = new OutboxStore(tableClient);
  const outbox = new Outbox(store, outboxStore, publisher, clock, logger);
  let peeker: ServiceBusReceiver | undefined;
  let table: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    table ??= ensureTable(tableClient).catch((error: unknown) => {
      table = undefined;
      throw error;
    });
    return table;
  };
  const adapters: Omit<Deps, "provisioning"> = {
    store,
    retention: new RetentionIndex(tableClient),
    clock,
    newId: randomUUID,
    tenantLock: new KeyedLock(),
    logger,
    outbox,
    outboxStore,
    rejectedEvents: new RejectedEventStore(tableClient),
    retentionPeriodMs: config.retentionPeriodMs,
    unfinishedJobs: new UnfinishedJobs(tableClient),
    chunkPolicy: { timeoutMs: config.bulkChunkTimeoutMs, maxResends: config.bulkChunkResends },
  };
  const deps: Deps = {
    ...adapters,
    // Batches as many single users' provisioning as the instance handles queue messages at a time.
    provisioning: createProvisioningBatcher(adapters, serviceBusConcurrency),
  };
  return {
    config,
    deps,
    serviceBus,
    verifyToken: createTokenVerifier(config.auth),
    ready,
    checkStorage: () =>
      answersWithin(healthCheckTimeoutMs, async (abortSignal) => {
        await ready();
        await tableClient
          .listEntities({ queryOptions: { filter: "PartitionKey eq '-'" }, abortSignal })
          .byPage({ maxPageSize: 1 })
          .next();
      }),
    checkQueue: () =>
      // Peeking needs only the Listen right the app's identity has (not Manage).
      answersWithin(healthCheckTimeoutMs, async (abortSignal) => {
        peeker ??= serviceBus.createReceiver(config.provisioningQueue);
        await peeker.peekMessages(1, { abortSignal });
      }),
    close: async () => {
      await outbox.flush();
      await Promise.all([serviceBus.close(), publishing.close()]);
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
