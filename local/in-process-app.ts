// The whole service in this process, for tests and benchmarks: the registered functions behind the
// local host on a free port, with a signing key made for the run.
import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { functions } from "../functions/registry.js";
import { createServices, type Services, useServices } from "../shared/composition.js";
import { bindingSettings, loadConfig } from "../shared/config.js";
import type { Role } from "../shared/domain/roles.js";
import type { Clock, EventPublisher, Logger } from "../shared/usecases/deps.js";
import { loadOrCreateDevCertificate } from "./dev-certificate.js";
import { startLocalHost } from "./host.js";
import { startTriggers } from "./triggers.js";

export const testIssuer = "https://issuer.test/";
export const testAudience = "api://license-service-test";

export interface TokenOptions {
  readonly roles?: readonly Role[];
  readonly objectId?: string;
  readonly expiresIn?: string | number;
  readonly audience?: string;
  readonly issuer?: string;
}

export interface InProcessApp {
  /** `http://127.0.0.1:<port>`, or `https://...` when started with `https`. */
  readonly url: string;
  /** With `https`: the development certificate's PEM file, for a client to trust. */
  readonly certPath?: string;
  readonly services: Services;
  token(tenantId: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: (m, p) => console.error(m, p ?? "") };

export async function startInProcessApp(options: {
  tablesConnection: string;
  serviceBusConnection: string;
  clock?: Clock;
  env?: Record<string, string>;
  publisher?: (real: EventPublisher) => EventPublisher;
  /** Run the queue and timer functions too (default true). */
  triggers?: boolean;
  verbose?: boolean;
  /**
   * Serve HTTPS with the development certificate kept in this folder (made there on first use,
   * local/dev-certificate.ts), as `npm start -- --https` does; HTTP when left out.
   */
  https?: { readonly certificateDir: string };
}): Promise<InProcessApp> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const config = loadConfig({
    AUTH_ISSUER: testIssuer,
    AUTH_AUDIENCE: testAudience,
    AUTH_PUBLIC_KEY_PEM: await exportSPKI(publicKey),
    TABLES_CONNECTION: options.tablesConnection,
    // A table per app keeps runs independent even when they share one Azurite.
    TABLES_TABLE_NAME: `t${randomUUID().replaceAll("-", "")}`,
    SERVICEBUS_CONNECTION: options.serviceBusConnection,
    // A queue per app, likewise (the test broker creates queues on first use).
    PROVISIONING_QUEUE: `provisioning-${randomUUID()}`,
    ...options.env,
  });
  const services = createServices(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.publisher ? { publisher: options.publisher } : {}),
    logger: quietLogger,
  });
  await services.ready();
  useServices(services);
  const certificate = options.https
    ? await loadOrCreateDevCertificate(options.https.certificateDir)
    : undefined;
  const host = await startLocalHost({
    functions,
    port: 0,
    ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
  });
  const settings = bindingSettings(config);
  const triggers =
    options.triggers === false
      ? undefined
      : startTriggers({
          functions,
          serviceBus: services.serviceBus,
          setting: (name) => settings[name],
          ...(options.verbose ? { verbose: true } : {}),
        });

  return {
    url: host.url,
    ...(certificate ? { certPath: certificate.certPath } : {}),
    services,
    token: (tenantId, o = {}) =>
      new SignJWT({
        tid: tenantId,
        oid: o.objectId ?? randomUUID(),
        roles: [...(o.roles ?? ["GlobalAdministrator"])],
      })
        .setProtectedHeader({ alg: "RS256" })
        .setIssuer(o.issuer ?? testIssuer)
        .setAudience(o.audience ?? testAudience)
        .setIssuedAt()
        .setExpirationTime(o.expiresIn ?? "10m")
        .sign(privateKey),
    close: async () => {
      await host.close();
      await triggers?.close();
      await services.close();
    },
  };
}
