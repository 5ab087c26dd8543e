// Binds a handler to a route: authenticates, checks the caller's right, validates query and body,
// and turns every failure into problem+json with Graph's error envelope. Every response carries
// request-id (the invocation id, also in the log), the caller's client-request-id and Date.
import type { HttpRequest, HttpResponseInit, InvocationContext } from "@azure/functions";
import type { z } from "zod";
import { getServices } from "../composition.js";
import type { Actor } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { hasRight, rolesWith } from "../domain/roles.js";
import type { FunctionDefinition } from "../function-definition.js";
import type { Deps } from "../usecases/deps.js";
import {
  defaultRetryAfter,
  internalProblem,
  problemResponse,
  type RequestMeta,
  requestHeaders,
  requestMetaOf,
} from "./problem-response.js";
import { type RouteSpec, routePrefixes } from "./route.js";
import { readJsonBody, validate } from "./validation.js";

/** The message of what lay under a 5xx problem, for the log (a stack adds nothing for an outage). */
const causeOf = (error: ProblemError): string =>
  error.cause instanceof Error ? `(${error.cause.name}: ${error.cause.message})` : "";

type Parsed<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpInput<S extends RouteSpec> {
  readonly request: HttpRequest;
  readonly context: InvocationContext;
  readonly deps: Deps;
  readonly actor: S["right"] extends "public" ? undefined : Actor;
  /** A route parameter; the route template guarantees it is present and well-formed. */
  readonly param: (name: string) => string;
  readonly body: Parsed<S["body"]>;
  readonly query: Parsed<S["query"]>;
  readonly headers: Parsed<S["headers"]>;
}

/** A handler's response with the headers every response carries (the handler's own win). */
function withRequestHeaders(response: HttpResponseInit, meta: RequestMeta): HttpResponseInit {
  const headers = new Headers(response.headers);
  const status = response.status ?? 200;
  for (const [name, value] of Object.entries({ ...requestHeaders(meta), ...defaultRetryAfter(status) })) {
    if (!headers.has(name)) headers.set(name, value);
  }
  return { ...response, headers };
}

export function httpFunction<S extends RouteSpec>(
  spec: S,
  handler: (input: HttpInput<S>) => Promise<HttpResponseInit>,
): FunctionDefinition {
  const run = async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const meta = requestMetaOf(context.invocationId, (name) => request.headers.get(name));
    try {
      const services = getServices();
      let actor: Actor | undefined;
      if (spec.right !== "public") {
        await services.ready();
        actor = await services.verifyToken(request.headers.get("authorization"));
        if (spec.right !== "authenticated" && !hasRight(actor.roles, spec.right)) {
          throw new ProblemError(
            "Forbidden",
            `${spec.summary} needs one of the roles ${rolesWith(spec.right).join(", ")}.`,
          );
        }
      }
      const query = spec.query
        ? validate(spec.query, Object.fromEntries(request.query.entries()), "query")
        : undefined;
      const headers = spec.headers
        ? validate(
            spec.headers,
            Object.fromEntries(
              Object.keys(spec.headers.shape).flatMap((name) => {
                const value = request.headers.get(name);
                return value === null ? [] : [[name, value]];
              }),
            ),
            "headers",
          )
        : undefined;
      // A route without a body schema still refuses a body it would otherwise silently ignore.
      const body = spec.body
        ? validate(spec.body, await readJsonBody(request), "body")
        : await readJsonBody(request, { required: false }).then(() => undefined);
      const response = await handler({
        request,
        context,
        deps: services.deps,
        actor,
        param: (name: string) => {
          const value = request.params[name];
          if (value === undefined) throw new Error(`route ${spec.route} has no parameter ${name}`);
          // Ids are GUIDs, which Graph treats case-insensitively; the store keys them in lower case.
          return value.toLowerCase();
        },
        body,
        query,
        headers,
      } as HttpInput<S>);
      return withRequestHeaders(response, meta);
    } catch (error) {
      const request = `(request-id ${meta.requestId})`;
      if (error instanceof ProblemError) {
        if (error.status >= 500)
          context.error(`${spec.operationId} failed ${request}: ${error.detail}`, causeOf(error));
        else context.warn(`${spec.operationId} answered ${error.status} ${error.code} ${request}`);
        return problemResponse(error, meta);
      }
      context.error(`${spec.operationId} failed unexpectedly ${request}`, error);
      return internalProblem(meta);
    }
  };
  return {
    kind: "http",
    name: spec.operationId,
    prefixes: spec.prefixes ?? routePrefixes,
    options: { methods: [spec.method], route: spec.route, authLevel: "anonymous", handler: run },
  };
}
