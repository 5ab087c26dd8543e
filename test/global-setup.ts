// Starts the emulators once for the whole run; test files read their addresses with `inject`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startAzurite } from "../local/azurite.js";
import { loadOrCreateDevCertificate } from "../local/dev-certificate.js";
import { startBroker } from "../local/servicebus-broker/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    tablesConnection: string;
    serviceBusConnection: string;
    /** The folder of the development TLS certificate that the test processes trust. */
    certificateDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ port: 0, inMemory: true });
  // Each app under test names its own queue; the broker creates it on first use.
  const broker = await startBroker({
    queues: [],
    autoCreateQueues: { maxDeliveryCount: 10, lockDurationMs: 30_000, duplicateDetectionWindowMs: 600_000 },
  });
  // A development certificate for apps started with `https`, trusted as a developer trusts theirs:
  // NODE_EXTRA_CA_CERTS, read by each test process at its start (they are forked after this runs,
  // with this environment), so fetch and the Graph SDK accept it unchanged.
  const certificates = mkdtempSync(join(tmpdir(), "dev-tls-"));
  const certificate = await loadOrCreateDevCertificate(join(certificates, "dev-tls"));
  process.env.NODE_EXTRA_CA_CERTS = certificate.certPath;
  project.provide("certificateDir", join(certificates, "dev-tls"));
  project.provide("tablesConnection", azurite.connectionString);
  project.provide("serviceBusConnection", broker.connectionString);
  return async () => {
    await broker.close();
    await azurite.stop();
    rmSync(certificates, { recursive: true, force: true });
  };
}
