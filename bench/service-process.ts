// Runs the service as `npm start` would, in a child process of its own, so a benchmark's client
// does not share the service's event loop.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { freePort } from "../local/azurite.js";
import { loadOrCreateDevCertificate } from "../local/dev-certificate.js";
import { createServices, type Services } from "../shared/composition.js";
import { loadConfig } from "../shared/config.js";
import type { EventPublisher } from "../shared/usecases/deps.js";

export interface ServiceProcess {
  readonly url: string;
  readonly queue: string;
  /** With `https`: the development certificate's PEM file, for a client's NODE_EXTRA_CA_CERTS. */
  readonly certPath?: string;
  /** Adapters on the same storage, for arranging data without HTTP. */
  readonly services: Services;
  token(tenantId: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startServiceProcess(
  tablesConnection: string,
  serviceBusConnection: string,
  extraEnv: Record<string, string> = {},
  options: { publisher?: (real: EventPublisher) => EventPublisher; https?: boolean } = {},
): Promise<ServiceProcess> {
  // With https the service is started as `npm start -- --https`; it reuses the development
  // certificate made here first (same folder, same working directory), whose path clients need.
  const certificate = options.https ? await loadOrCreateDevCertificate() : undefined;
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const port = await freePort();
  const env = {
    AUTH_ISSUER: "https://issuer.bench/",
    AUTH_AUDIENCE: "api://bench",
    AUTH_PUBLIC_KEY_PEM: await exportSPKI(publicKey),
    TABLES_CONNECTION: tablesConnection,
    TABLES_TABLE_NAME: `b${randomUUID().replaceAll("-", "")}`,
    SERVICEBUS_CONNECTION: serviceBusConnection,
    PROVISIONING_QUEUE: `bench-${randomUUID()}`,
    PORT: String(port),
    ...extraEnv,
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<folder>: the service writes a V8 CPU profile there when it stops (open it
      // in Chrome's DevTools or speedscope).
      ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      "--import",
      "tsx",
      "local/start.ts",
      ...(certificate ? ["--https"] : []),
      ...(process.env.BENCH_VERBOSE ? ["--verbose"] : []),
    ],
    {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ctrl+C stops")) resolve();
      if (process.env.SHOW_CHILD) process.stdout.write(chunk);
    });
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
  const config = loadConfig(env);
  const services = createServices(config, options.publisher ? { publisher: options.publisher } : {});
  await services.ready();
  const token = (tenantId: string) =>
    new SignJWT({ tid: tenantId, oid: randomUUID(), roles: ["GlobalAdministrator"] })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(env.AUTH_ISSUER)
      .setAudience(env.AUTH_AUDIENCE)
      .setExpirationTime("1h")
      .sign(privateKey);
  return {
    url: `${certificate ? "https" : "http"}://127.0.0.1:${port}`,
    queue: config.provisioningQueue,
    ...(certificate ? { certPath: certificate.certPath } : {}),
    services,
    token,
    stop: async () => {
      await services.close();
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
    },
  };
}
