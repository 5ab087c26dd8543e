// The one way the console talks to the API: openapi-fetch over the types generated from our OpenAPI
// document (schema.d.ts), with the session's bearer token on every request.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type SubscribedSku = components["schemas"]["SubscribedSku"];
export type Sku = components["schemas"]["Sku"];
export type User = components["schemas"]["User"];
/** A user read alone (GET /users/{id}): a User with its `@odata.context`. */
export type UserEntity = components["schemas"]["UserEntity"];
export type Subscription = components["schemas"]["Subscription"];
export type Group = components["schemas"]["Group"];
export type LicenseProcessingState = components["schemas"]["LicenseProcessingState"];

export interface ApiClientOptions {
  /** The bearer token to send; an Entra ID session renews it first (a promise). */
  readonly token: () => string | undefined | Promise<string | undefined>;
  /** Called on a 401: the token expired or is not trusted, so the session ends. */
  readonly onUnauthorized: () => void;
}

export function createApiClient(options: ApiClientOptions) {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  client.use({
    async onRequest({ request }) {
      const token = await options.token();
      if (token) request.headers.set("authorization", `Bearer ${token}`);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) options.onUnauthorized();
      return response;
    },
  });
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * The server's own words for a refusal, to show as they are: problem+json's `detail`, or the
 * `error.message` of Microsoft Graph's error envelope; the status line when there is neither.
 */
export function refusalText(error: unknown, response: Response): string {
  if (typeof error === "object" && error !== null) {
    if ("detail" in error && typeof error.detail === "string") return error.detail;
    if ("error" in error && typeof error.error === "object" && error.error !== null) {
      const inner = error.error;
      if ("message" in inner && typeof inner.message === "string") return inner.message;
    }
  }
  return `The service answered ${response.status} ${response.statusText}.`.replace(" .", ".");
}
