// An end-to-end harness: the real functions behind the local host on a free port, Azurite from the
// global setup, a signing key made for the run, and small helpers to call the API as a tenant.
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import {
  startInProcessApp,
  type TokenOptions,
  testAudience,
  testIssuer,
} from "../../local/in-process-app.js";
import type { Services } from "../../shared/composition.js";
import type { Clock, EventPublisher } from "../../shared/usecases/deps.js";
import { assertConformsToOpenApi } from "./contract.js";

export const issuer = testIssuer;
export const audience = testAudience;

export interface ApiResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

export interface TestApp {
  readonly url: string;
  /** With `https`: the certificate's PEM file. */
  readonly certPath?: string;
  readonly services: Services;
  token(tenantId: string, options?: TokenOptions): Promise<string>;
  /**
   * Calls the API with an optional bearer token; JSON bodies are sent as application/json. Throws
   * when the response does not match the OpenAPI document (./contract.ts).
   */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    publisher?: (real: EventPublisher) => EventPublisher;
    triggers?: boolean;
    /** Another Table Storage than the global setup's Azurite (tests that stop theirs). */
    tablesConnection?: string;
    /**
     * Serve HTTPS with the development certificate the global setup made, which this process
     * trusts (NODE_EXTRA_CA_CERTS), so `call`, fetch and the Graph SDK work unchanged; or with the
     * certificate of another folder (made there on first use), which it does not.
     */
    https?: true | { readonly certificateDir: string };
  } = {},
): Promise<TestApp> {
  const { https, ...rest } = options;
  const app = await startInProcessApp({
    tablesConnection: inject("tablesConnection"),
    serviceBusConnection: inject("serviceBusConnection"),
    ...rest,
    ...(https ? { https: https === true ? { certificateDir: inject("certificateDir") } : https } : {}),
  });
  return { ...app, call: callerOf(app.url) };
}

/**
 * Calls an app at `url` with an optional bearer token; JSON bodies are sent as application/json.
 * Throws when the response does not match the OpenAPI document (./contract.ts).
 */
export function callerOf(url: string): TestApp["call"] {
  return async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let body: string | undefined;
    if (o.rawBody !== undefined) body = o.rawBody;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    // A response the OpenAPI document does not describe fails the test that got it.
    assertConformsToOpenApi({ method, path, status: response.status, headers: response.headers, text });
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
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
      const response = await call<{ id: string; userPrincipalName: string; assignedLicenses: unknown[] }>(
        "POST",
        "/api/users",
        {
          userPrincipalName: `${name}@contoso.example`,
          displayName: name,
          ...extra,
        },
      );
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
