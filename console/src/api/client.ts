// The one way the console talks to the API: openapi-fetch over the types generated from our OpenAPI
// document (schema.d.ts), with the session's bearer token on every request. Every request ends in an
// answer: one the service gave, or one this client makes up when there is none (the service cannot
// be reached, did not answer within `requestTimeoutMs`, or a gateway says it is down; the session's
// token expired), which `failureOf` recognises and `refusalText` puts in words.
import createClient, { type Middleware } from "openapi-fetch";
import { formatTime } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";
import { problemText } from "../i18n/problem-text.js";
import { requestTimeoutMs } from "./request-timeout.js";
import type { components, paths } from "./schema.js";

export type SubscribedSku = components["schemas"]["SubscribedSku"];
export type Sku = components["schemas"]["Sku"];
export type User = components["schemas"]["User"];
/** A user read alone (GET /users/{id}): a User with its `@odata.context`. */
export type UserEntity = components["schemas"]["UserEntity"];
export type Subscription = components["schemas"]["Subscription"];
export type Group = components["schemas"]["Group"];
export type LicenseProcessingState = components["schemas"]["LicenseProcessingState"];

export { requestTimeoutMs };

/** Why a request got no answer from the service, or was not sent. */
export type RequestFailure =
  /** Nothing answered (refused connection, network down) or a gateway said the service is down. */
  | { readonly kind: "unreachable"; readonly status?: number }
  /** No answer within `requestTimeoutMs`. */
  | { readonly kind: "timeout" }
  /** The session's token expired at `at` (refused by the service, or not sent once past its `exp`). */
  | { readonly kind: "expired"; readonly at: Date }
  /** The service refused the token for another reason (another issuer, audience, signature). */
  | { readonly kind: "refused" };

/** The failures of a made-up or marked answer: a WeakMap, so answers carry no extra property. */
const failures = new WeakMap<Response, RequestFailure>();

/** Why `response` is not the service's own answer, or undefined when it is. */
export const failureOf = (response: Response): RequestFailure | undefined => failures.get(response);

/** Whether the failure says the service is out of reach (not the session's). */
export const isOutOfReach = (failure: RequestFailure | undefined): boolean =>
  failure?.kind === "unreachable" || failure?.kind === "timeout";

const gatewayStatuses = new Set([502, 503, 504]);
/** Statuses whose answer has no body, which `new Response` refuses one for. */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

function madeUpAnswer(status: number, failure: RequestFailure): Response {
  const response = new Response(null, { status });
  failures.set(response, failure);
  return response;
}

export interface ApiClientOptions {
  /** The bearer token to send; an Entra ID session renews it first (a promise). */
  readonly token: () => string | undefined | Promise<string | undefined>;
  /** When the token sent expires (a pasted token's `exp`); undefined when MSAL renews it. */
  readonly expiresAt?: () => Date | undefined;
  /** Called on a 401, and instead of sending a token past its `exp`. */
  readonly onUnauthorized: (failure: RequestFailure & { readonly kind: "expired" | "refused" }) => void;
  /** Called when a request finds the service out of reach. */
  readonly onUnreachable?: (failure: RequestFailure) => void;
  /** Called when the service answers. */
  readonly onAnswer?: () => void;
}

export function createApiClient(options: ApiClientOptions) {
  const client = createClient<paths>({ baseUrl: window.location.origin });
  const outOfReach = (failure: RequestFailure, status: number): Response => {
    options.onUnreachable?.(failure);
    return madeUpAnswer(status, failure);
  };
  /** The token's `exp` once it has passed, else undefined. */
  const expiredAt = (): Date | undefined => {
    const at = options.expiresAt?.();
    return at && at.getTime() <= Date.now() ? at : undefined;
  };
  const middleware: Middleware = {
    async onRequest({ request }) {
      // The service accepts a token for a minute past its `exp` (clock skew): the console knows the
      // time it ends and says so then, rather than a minute later on some request.
      const expired = expiredAt();
      if (expired) {
        const failure = { kind: "expired", at: expired } as const;
        options.onUnauthorized(failure);
        return madeUpAnswer(401, failure);
      }
      let token: string | undefined;
      try {
        token = await options.token();
      } catch {
        // MSAL could not renew the token silently (its refresh token expired or was revoked).
        const failure = { kind: "refused" } as const;
        options.onUnauthorized(failure);
        return madeUpAnswer(401, failure);
      }
      const signal = AbortSignal.any([request.signal, AbortSignal.timeout(requestTimeoutMs)]);
      const timed = new Request(request, { signal });
      if (token) timed.headers.set("authorization", `Bearer ${token}`);
      return timed;
    },
    async onResponse({ response }) {
      // onError's made-up answer comes through here too.
      if (failures.has(response)) return response;
      if (gatewayStatuses.has(response.status)) {
        return outOfReach({ kind: "unreachable", status: response.status }, response.status);
      }
      // The body is read here, under the request's timeout, so that a body that stops coming is a
      // timeout too rather than a promise the page waits on for ever.
      let body: ArrayBuffer | null;
      try {
        body = nullBodyStatuses.has(response.status) ? null : await response.arrayBuffer();
      } catch (error) {
        if (isPagesAbort(error)) throw error;
        return outOfReach(isTimeout(error) ? { kind: "timeout" } : { kind: "unreachable" }, 504);
      }
      options.onAnswer?.();
      const answer = new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
      if (response.status === 401) {
        const expired = expiredAt();
        const failure = expired
          ? ({ kind: "expired", at: expired } as const)
          : ({ kind: "refused" } as const);
        failures.set(answer, failure);
        options.onUnauthorized(failure);
      }
      return answer;
    },
    onError({ error }) {
      if (isPagesAbort(error)) return error instanceof Error ? error : undefined;
      return outOfReach(isTimeout(error) ? { kind: "timeout" } : { kind: "unreachable" }, 504);
    },
  };
  client.use(middleware);
  return client;
}

const isTimeout = (error: unknown): boolean => error instanceof DOMException && error.name === "TimeoutError";
/** A page's own abort is the page's business; a timeout or a lost connection is the service's. */
const isPagesAbort = (error: unknown): boolean =>
  error instanceof DOMException && error.name === "AbortError";

export type ApiClient = ReturnType<typeof createApiClient>;

/** A failure the client recognised, in words: what happened and what to do. */
export function failureText(failure: RequestFailure): string {
  switch (failure.kind) {
    case "unreachable":
      return failure.status === undefined
        ? i18next.t("connection.unreachable")
        : i18next.t("connection.gateway", { status: failure.status });
    case "timeout":
      return i18next.t("connection.timeout", { seconds: requestTimeoutMs / 1000 });
    case "expired":
      return i18next.t("session.expiredAction", { at: formatTime(failure.at) });
    case "refused":
      return i18next.t("session.refusedAction");
  }
}

/**
 * A refusal in the console's words (./i18n/problem-text.ts): a failure the client recognised
 * (`failureOf`); else by the problem's `code` (problem+json, or the `error.code` of Microsoft Graph's
 * envelope) filled with its members; the server's detail only for a code the catalog does not know;
 * the status line when there is neither.
 */
export function refusalText(error: unknown, response: Response): string {
  const failure = failureOf(response);
  if (failure) return failureText(failure);
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
