// An end-to-end harness: the real functions behind the local host on a free port, Azurite from the
// global setup, a signing key made for the run, and small helpers to call the API as a tenant.
import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { inject } from "vitest";
import { functions } from "../../functions/registry.js";
import { startLocalHost } from "../../local/host.js";
import { createServices, type Services, useServices } from "../../shared/composition.js";
import { loadConfig } from "../../shared/config.js";
import type { Role } from "../../shared/domain/roles.js";
import type { Clock } from "../../shared/usecases/deps.js";

export const issuer = "https://issuer.test/";
export const audience = "api://license-service-test";

export interface TokenOptions {
  readonly roles?: readonly Role[];
  readonly objectId?: string;
  readonly expiresIn?: string | number;
  readonly audience?: string;
  readonly issuer?: string;
}

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface TestApp {
  readonly url: string;
  readonly services: Services;
  token(tenantId: string, options?: TokenOptions): Promise<string>;
  /** Calls the API; `as` is a token or a tenant to act for as Global Administrator. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: { clock?: Clock; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const config = loadConfig({
    AUTH_ISSUER: issuer,
    AUTH_AUDIENCE: audience,
    AUTH_PUBLIC_KEY_PEM: await exportSPKI(publicKey),
    TABLES_CONNECTION: inject("tablesConnection"),
    // A table per test file keeps files independent even though they share one Azurite.
    TABLES_TABLE_NAME: `t${randomUUID().replaceAll("-", "")}`,
    ...options.env,
  });
  const services = createServices(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    logger: { info: () => {}, warn: () => {}, error: (m, p) => console.error(m, p) },
  });
  await services.ready();
  useServices(services);
  const host = await startLocalHost({ functions, port: 0 });

  const token = (tenantId: string, o: TokenOptions = {}) =>
    new SignJWT({
      tid: tenantId,
      oid: o.objectId ?? randomUUID(),
      roles: [...(o.roles ?? ["GlobalAdministrator"])],
    })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? "10m")
      .sign(privateKey);

  return {
    url: host.url,
    services,
    token,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...o.headers };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers["content-type"] ??= "application/json";
      }
      const response = await fetch(`${host.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
    },
    close: () => host.close(),
  };
}

/** A tenant of its own for each test, with an admin token and a few helpers. */
export async function newTenant(app: TestApp) {
  const tenantId = randomUUID();
  const admin = await app.token(tenantId);
  const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    app.call<T>(method, path, { token: admin, ...(body === undefined ? {} : { body }) });
  return {
    tenantId,
    admin,
    call,
    async buy(skuId: string, seats: number, purchaseChannel: "Admin" | "SelfService" = "Admin") {
      const response = await call<{ id: string }>("POST", "/api/subscriptions", {
        skuId,
        seats,
        purchaseChannel,
      });
      if (response.status !== 201) throw new Error(`buy failed: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    async user(extra: Record<string, unknown> = {}) {
      const name = `u${randomUUID().slice(0, 8)}`;
      const response = await call<{ id: string; assignedLicenses: unknown[] }>("POST", "/api/users", {
        userPrincipalName: `${name}@contoso.example`,
        displayName: name,
        ...extra,
      });
      if (response.status !== 201) throw new Error(`create user failed: ${JSON.stringify(response.body)}`);
      return response.body;
    },
    assign(userId: string, body: unknown, query = "") {
      return call<Record<string, unknown>>("POST", `/api/users/${userId}/assignLicense${query}`, body);
    },
    async sku(skuId: string) {
      return (
        await call<{ availableUnits: number; consumedUnits: number; prepaidUnits: { enabled: number } }>(
          "GET",
          `/api/subscribedSkus/${skuId}`,
        )
      ).body;
    },
  };
}
