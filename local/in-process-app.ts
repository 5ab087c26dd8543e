// The whole service in this process, for tests and benchmarks: the registered functions behind the
// local host on a free port, with a signing key made for the run.
import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { functions } from "../functions/registry.js";
import { createServices, type Services, useServices } from "../shared/composition.js";
import { loadConfig } from "../shared/config.js";
import type { Role } from "../shared/domain/roles.js";
import type { Clock, Logger } from "../shared/usecases/deps.js";
import { startLocalHost } from "./host.js";

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
  readonly url: string;
  readonly services: Services;
  token(tenantId: string, options?: TokenOptions): Promise<string>;
  close(): Promise<void>;
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: (m, p) => console.error(m, p ?? "") };

export async function startInProcessApp(options: {
  tablesConnection: string;
  clock?: Clock;
  env?: Record<string, string>;
}): Promise<InProcessApp> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const config = loadConfig({
    AUTH_ISSUER: testIssuer,
    AUTH_AUDIENCE: testAudience,
    AUTH_PUBLIC_KEY_PEM: await exportSPKI(publicKey),
    TABLES_CONNECTION: options.tablesConnection,
    // A table per app keeps runs independent even when they share one Azurite.
    TABLES_TABLE_NAME: `t${randomUUID().replaceAll("-", "")}`,
    ...options.env,
  });
  const services = createServices(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    logger: quietLogger,
  });
  await services.ready();
  useServices(services);
  const host = await startLocalHost({ functions, port: 0 });

  return {
    url: host.url,
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
    close: () => host.close(),
  };
}
