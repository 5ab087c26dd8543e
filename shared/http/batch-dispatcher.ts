// Runs the requests of a JSON batch ($batch) in this process: each one is routed by the same route
// table as a request from outside and handed to the very handler the route binds, with the batch's
// Authorization header, so it is authorised and validated as if sent alone and its failure is its
// own response. Independent requests run concurrently (at most `concurrency` at a time); a request
// with `dependsOn` runs after those it names and answers 424 if one of them failed, as Graph does.
import { randomUUID } from "node:crypto";
import functionsLibrary, { type HttpResponseInit, type LogLevel } from "@azure/functions";
import { ProblemError } from "../domain/problem.js";
import type { BatchRequestStep } from "./batch-schemas.js";
import { internalProblem, problemResponse, requestMetaOf } from "./problem-response.js";
import type { RouteTable } from "./route-table.js";

const { HttpRequest, HttpResponse, InvocationContext } = functionsLibrary;

/** How many requests of one batch run at once. */
export const batchConcurrency = 20;

export interface BatchResponseStep {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

export interface BatchDispatch {
  readonly table: RouteTable;
  /** The batch's own route prefix (`v1.0` or `api`): inner URLs are relative to it. */
  readonly prefix: string;
  /** The batch request's URL, whose origin the inner requests share. */
  readonly batchUrl: string;
  /** The batch's Authorization header, used for every inner request. */
  readonly authorization: string | null;
  /** The batch's client-request-id, for inner requests that send none of their own. */
  readonly clientRequestId?: string | null;
  /** Where the inner functions' log lines go (the batch's invocation). */
  readonly log: (level: LogLevel, ...args: unknown[]) => void;
  readonly concurrency?: number;
}

/** A counting semaphore: `run` waits for one of `limit` slots. */
function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** A refusal of the dispatcher itself, with a request id of its own as every response has. */
const problemStep = (id: string, error: ProblemError): BatchResponseStep =>
  toStep(
    id,
    problemResponse(
      error,
      requestMetaOf(randomUUID(), () => undefined),
    ),
  );

/**
 * Header names as Graph writes them in a batch's responses (`Content-Type`, `Location`, `ETag`;
 * `request-id` and `client-request-id` in lower case): the Graph SDK's BatchResponseContent reads
 * `headers["Content-Type"]` to know a body is JSON.
 */
function graphHeaderName(name: string): string {
  const lower = name.toLowerCase();
  if (lower === "etag") return "ETag";
  if (lower === "request-id" || lower === "client-request-id") return lower;
  return lower.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function toStep(id: string, response: { status: number; headers: Record<string, string>; body: string }) {
  const headers = Object.fromEntries(
    Object.entries(response.headers).map(([name, value]) => [graphHeaderName(name), value]),
  );
  const json = /\bjson\b/i.test(headers["Content-Type"] ?? "");
  return {
    id,
    status: response.status,
    headers,
    ...(response.body === "" ? {} : { body: json ? JSON.parse(response.body) : response.body }),
  };
}

/** `users/x?y`, `/users/x?y` or the SDK's `/v1.0/users/x?y` → the path and query under the prefix. */
function relativeUrl(step: BatchRequestStep, prefix: string): string | ProblemError {
  const url = step.url.trim();
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) {
    return new ProblemError(
      "ValidationFailed",
      `The url of batch request ${step.id} must be relative to the version, such as users/{id}, not ${url}.`,
      [{ path: "url", message: "must be a relative URL" }],
    );
  }
  const relative = url.replace(/^\//, "");
  const ownPrefix = `${prefix.toLowerCase()}/`;
  return relative.toLowerCase().startsWith(ownPrefix) ? relative.slice(ownPrefix.length) : relative;
}

/** The request's headers with lower-case names, and the batch's Authorization instead of its own. */
function headersOf(step: BatchRequestStep, batch: BatchDispatch): Record<string, string> {
  const headers: Record<string, string> = {};
  if (batch.clientRequestId) headers["client-request-id"] = batch.clientRequestId;
  for (const [name, value] of Object.entries(step.headers ?? {})) {
    if (name.toLowerCase() !== "authorization") headers[name.toLowerCase()] = value;
  }
  if (batch.authorization !== null) headers.authorization = batch.authorization;
  return headers;
}

/** A JSON body as JSON text; any other content type's body is base64, as in Graph. */
function bodyBytes(step: BatchRequestStep, contentType: string): Uint8Array {
  if (typeof step.body === "string" && !/\bjson\b/i.test(contentType))
    return Buffer.from(step.body, "base64");
  return Buffer.from(JSON.stringify(step.body));
}

async function runStep(step: BatchRequestStep, batch: BatchDispatch): Promise<BatchResponseStep> {
  const relative = relativeUrl(step, batch.prefix);
  if (relative instanceof ProblemError) return problemStep(step.id, relative);
  const url = new URL(`/${batch.prefix}/${relative}`, batch.batchUrl);
  const method = step.method.toUpperCase();
  const path = url.pathname.slice(1);
  const route = batch.table.resolve(method, path);
  if (route.kind === "notFound") {
    return problemStep(
      step.id,
      new ProblemError("NotFound", `No function serves ${method} ${url.pathname}.`),
    );
  }
  if (route.kind === "methodNotAllowed") {
    const allow = route.allow.join(", ");
    return problemStep(
      step.id,
      new ProblemError("MethodNotAllowed", `${url.pathname} allows ${allow}.`, undefined, { allow }),
    );
  }
  const { definition, params } = route;
  if (definition.options.route.split("/").at(-1) === "$batch") {
    return problemStep(
      step.id,
      new ProblemError(
        "ValidationFailed",
        `Batch request ${step.id} is a batch itself; batches do not nest.`,
        [{ path: "url", message: "a batch cannot contain $batch" }],
      ),
    );
  }
  const headers = headersOf(step, batch);
  let body: Uint8Array | undefined;
  if (step.body !== undefined) {
    const contentType = headers["content-type"];
    if (contentType === undefined) {
      return problemStep(
        step.id,
        new ProblemError(
          "ValidationFailed",
          `Batch request ${step.id} has a body but no Content-Type header; add "Content-Type": "application/json" to its headers.`,
          [{ path: "headers", message: "Content-Type is required with a body" }],
        ),
      );
    }
    body = bodyBytes(step, contentType);
    headers["content-length"] = String(body.byteLength);
  }
  const request = new HttpRequest({
    method,
    url: url.toString(),
    headers,
    params,
    ...(body && method !== "GET" ? { body: { bytes: body } } : {}),
  });
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: definition.name,
    logHandler: (level, ...args) => batch.log(level, `[${definition.name} in $batch ${step.id}]`, ...args),
  });
  let response: InstanceType<typeof HttpResponse>;
  try {
    const result = (await definition.options.handler(request, context)) ?? {};
    response = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
  } catch (error) {
    batch.log("error", `batch request ${step.id} failed unexpectedly`, error);
    return toStep(step.id, internalProblem(requestMetaOf(context.invocationId, (name) => headers[name])));
  }
  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  return toStep(step.id, { status: response.status, headers: responseHeaders, body: await response.text() });
}

/**
 * Answers every request of a validated batch (unique ids, known dependencies, no cycle), in the
 * order of the requests.
 */
export async function dispatchBatch(
  steps: readonly BatchRequestStep[],
  batch: BatchDispatch,
): Promise<BatchResponseStep[]> {
  const slot = limiter(batch.concurrency ?? batchConcurrency);
  const answers = new Map<string, Promise<BatchResponseStep>>();
  const answer = (step: BatchRequestStep): Promise<BatchResponseStep> => {
    let pending = answers.get(step.id);
    if (!pending) {
      pending = (async () => {
        for (const id of step.dependsOn ?? []) {
          const dependency = steps.find((candidate) => candidate.id === id);
          const done = dependency ? await answer(dependency) : undefined;
          if (done && (done.status < 200 || done.status > 299)) {
            return problemStep(
              step.id,
              new ProblemError(
                "FailedDependency",
                `Batch request ${step.id} was not run: request ${id}, which it depends on, answered ${done.status}.`,
              ),
            );
          }
        }
        return slot(() => runStep(step, batch));
      })();
      answers.set(step.id, pending);
    }
    return pending;
  };
  return Promise.all(steps.map(answer));
}
