// Starts the emulators once for the whole run; test files read their addresses with `inject`.
import type { TestProject } from "vitest/node";
import { startAzurite } from "../local/azurite.js";
import { startBroker } from "../local/servicebus-broker/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    tablesConnection: string;
    serviceBusConnection: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ port: 0, inMemory: true });
  // Each app under test names its own queue; the broker creates it on first use.
  const broker = await startBroker({
    queues: [],
    autoCreateQueues: { maxDeliveryCount: 10, lockDurationMs: 30_000, duplicateDetectionWindowMs: 600_000 },
  });
  project.provide("tablesConnection", azurite.connectionString);
  project.provide("serviceBusConnection", broker.connectionString);
  return async () => {
    await broker.close();
    await azurite.stop();
  };
}
