// RFC 9457 problem+json: the one place a ProblemError becomes an HTTP response.
import type { HttpResponseInit } from "@azure/functions";
import { ProblemError } from "../domain/problem.js";

/** A JSON response as the functions return it, concrete enough for the local host to write. */
export interface JsonResponseInit extends HttpResponseInit {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export function problemResponse(error: ProblemError, instance?: string): JsonResponseInit {
  const body = {
    type: `urn:license-service:problem:${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.expose ? error.detail : "An unexpected error occurred.",
    code: error.code,
    ...(instance ? { instance } : {}),
    ...(error.expose && error.errors ? { errors: error.errors } : {}),
  };
  return {
    status: error.status,
    headers: { "content-type": "application/problem+json", ...error.headers },
    body: JSON.stringify(body),
  };
}

/** Network failures, and storage answering 503 (ServerBusy) after the SDK's own retries. */
const unreachable = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);

/** Whether an error means storage (or another dependency) cannot be reached right now. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, statusCode } = error as Error & { code?: unknown; statusCode?: unknown };
  return (typeof code === "string" && unreachable.has(code)) || statusCode === 503;
}

/** A 503 that tells the caller to come back: storage could not be reached. */
export const unavailableProblem = (): JsonResponseInit =>
  problemResponse(
    new ProblemError(
      "ServiceUnavailable",
      "Storage cannot be reached right now; nothing was changed. Retry after the Retry-After seconds.",
      undefined,
      { "Retry-After": "10" },
    ),
  );

/** A bare 500: the invocation id lets an operator find the logged cause; nothing else leaks. */
export function internalProblem(invocationId: string): JsonResponseInit {
  return problemResponse(new ProblemError("Internal", "unexpected"), `urn:invocation:${invocationId}`);
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): JsonResponseInit {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
