// The one place a ProblemError becomes an HTTP response: RFC 9457 problem members with Microsoft
// Graph's error envelope beside them, and the headers every response carries (request-id,
// client-request-id, Date).
import { randomUUID } from "node:crypto";
import type { HttpResponseInit } from "@azure/functions";
import { ProblemError, type ProblemItem, unavailableRetryAfterSeconds } from "../domain/problem.js";

/** A JSON response as the functions return it, concrete enough for the local host to write. */
export interface JsonResponseInit extends HttpResponseInit {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What a response must echo of its request: the id it is logged under, the caller's id, Accept. */
export interface RequestMeta {
  /** A GUID: the invocation id, so that the log line and the response name the same request. */
  readonly requestId: string;
  /** The caller's client-request-id, or the one made for it (requestMetaOf always gives one). */
  readonly clientRequestId?: string | undefined;
  readonly accept?: string | undefined;
}

/**
 * Reads a request's meta from its headers (any header lookup: Fetch Headers, Node's headers). A
 * request without a client-request-id gets a GUID of its own, as Graph gives one, to quote with
 * request-id when reporting a problem.
 */
export function requestMetaOf(
  requestId: string,
  header: (name: string) => string | null | undefined,
): RequestMeta {
  const clientRequestId = header("client-request-id") || randomUUID();
  const accept = header("accept") ?? undefined;
  return { requestId, clientRequestId, accept };
}

/** The headers every response carries, as Graph sends them. */
export function requestHeaders(meta: RequestMeta): Record<string, string> {
  return {
    "request-id": meta.requestId,
    ...(meta.clientRequestId ? { "client-request-id": meta.clientRequestId } : {}),
    date: new Date().toUTCString(),
  };
}

/** The q value an Accept header gives exactly this media type (not through a wildcard), or 0. */
function explicitQuality(accept: string, mediaType: string): number {
  let best = 0;
  for (const range of accept.split(",")) {
    const [type, ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    if (type !== mediaType) continue;
    const q = parameters.find((parameter) => parameter.startsWith("q="));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isFinite(quality)) best = Math.max(best, quality);
  }
  return best;
}

/**
 * problem+json only for a caller that asks for it (and prefers it to application/json); everyone
 * else, Graph's SDKs first of all, gets application/json, the only type they parse an error from.
 */
export function problemContentType(accept: string | undefined): string {
  if (!accept) return "application/json";
  const problem = explicitQuality(accept, "application/problem+json");
  return problem > 0 && problem >= explicitQuality(accept, "application/json")
    ? "application/problem+json"
    : "application/json";
}

/** Graph's `details`: one `{ code, message, target }` per item of `errors`. */
function detailOf(code: string, item: ProblemItem): { code: string; message: string; target?: string } {
  const target = [item.path, item.skuId, item.servicePlanId, item.userId].find(
    (value): value is string => typeof value === "string",
  );
  const message =
    typeof item.message === "string"
      ? item.message
      : Object.entries(item)
          .map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(" ") : String(value)}`)
          .join(", ");
  return { code: typeof item.code === "string" ? item.code : code, message, ...(target ? { target } : {}) };
}

/** The Retry-After a 429 or a 503 carries when its producer does not say: every one has one. */
export const defaultRetryAfter = (status: number): Record<string, string> =>
  status === 429
    ? { "Retry-After": "1" }
    : status === 503
      ? { "Retry-After": String(unavailableRetryAfterSeconds) }
      : {};

export function problemResponse(error: ProblemError, meta: RequestMeta, instance?: string): JsonResponseInit {
  const detail = error.expose ? error.detail : "An unexpected error occurred.";
  const errors = error.expose ? error.errors : undefined;
  const date = new Date().toISOString().slice(0, 19);
  const body = {
    type: `urn:license-service:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail,
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
    error: {
      code: error.code,
      message: detail,
      innerError: {
        date,
        "request-id": meta.requestId,
        ...(meta.clientRequestId ? { "client-request-id": meta.clientRequestId } : {}),
      },
      ...(errors ? { details: errors.map((item) => detailOf(error.code, item)) } : {}),
    },
  };
  return {
    status: error.status,
    headers: {
      "content-type": problemContentType(meta.accept),
      ...requestHeaders(meta),
      ...defaultRetryAfter(error.status),
      ...error.headers,
    },
    body: JSON.stringify(body),
  };
}

/** A bare 500: the request id lets an operator find the logged cause; nothing else leaks. */
export function internalProblem(meta: RequestMeta): JsonResponseInit {
  return problemResponse(
    new ProblemError("Internal", "unexpected"),
    meta,
    `urn:invocation:${meta.requestId}`,
  );
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): JsonResponseInit {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
