// The one way the console talks to the API: openapi-fetch over the types generated from our OpenAPI
// document (schema.d.ts), with the session's bearer token on every request.
import createClient from "openapi-fetch";
import { i18next } from "../i18n/index.js";
import { problemText } from "../i18n/problem-text.js";
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
 * A refusal in the console's words (./i18n/problem-text.ts): by the problem's `code` (problem+json,
 * or the `error.code` of Microsoft Graph's envelope) filled with its members; the server's detail
 * only for a code the catalog does not know; the status line when there is neither.
 */
export function refusalText(error: unknown, response: Response): string {
  const status = i18next.t("problems.status", { status: response.status, statusText: response.statusText });
  if (typeof error !== "object" || error === null) return status.replace(" .", ".");
  const body = error as Record<string, unknown>;
  const inner =
    typeof body.error === "object" && body.error !== null ? (body.error as Record<string, unknown>) : {};
  const code =
    typeof body.code === "string" ? body.code : typeof inner.code === "string" ? inner.code : undefined;
  const detail =
    typeof body.detail === "string"
      ? body.detail
      : typeof inner.message === "string"
        ? inner.message
        : undefined;
  const errors = Array.isArray(body.errors) ? (body.errors as Record<string, unknown>[]) : undefined;
  return problemText({ code, detail, errors }, status.replace(" .", "."));
}
