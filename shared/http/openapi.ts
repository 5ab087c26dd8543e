// The OpenAPI 3.1 document, generated from the route list and the same zod schemas that validate
// requests (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits natively).
import { z } from "zod";
import { problemCodesWithStatus } from "../domain/problem.js";
import { problemResponse } from "./response-schemas.js";
import { type RouteResponse, type RouteSpec, routePrefixes } from "./route.js";

const componentRef = (id: string): string => `#/components/schemas/${id}`;

/**
 * Points zod's local `#/$defs/X` references at the document's shared components instead, and drops
 * the `$id: "#/components/schemas/X"` zod gives each component: a `$id` with a fragment is not a
 * valid JSON Schema 2020-12 `$id`, and the components need none (`$ref`s resolve against the root).
 */
function inComponents(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(inComponents);
  if (typeof json !== "object" || json === null) return json;
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === "$defs" || name === "$schema" || name === "$id") continue;
    result[name] =
      name === "$ref" && typeof value === "string"
        ? value.replace(/^#\/\$defs\//, "#/components/schemas/")
        : inComponents(value);
  }
  return result;
}

/**
 * A request schema that also admits OData annotations (`@odata.type`, ...) in every object that
 * refuses unknown members: the service ignores them, as Graph does, and refuses anything else.
 */
function allowingAnnotations(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(allowingAnnotations);
  if (typeof json !== "object" || json === null) return json;
  const result: Record<string, unknown> = Object.fromEntries(
    Object.entries(json).map(([name, value]) => [name, allowingAnnotations(value)]),
  );
  if (result.additionalProperties === false) {
    result.patternProperties = { "^@odata\\.": { description: "An OData annotation: ignored" } };
  }
  return result;
}

const toSchema = (schema: z.ZodType, io: "input" | "output"): unknown =>
  inComponents(z.toJSONSchema(schema, { io, unrepresentable: "any", reused: "inline" }));

/** Every schema given an id with `.meta({ id })`: requests as they are sent, responses as returned. */
function components(): Record<string, unknown> {
  const all = (io: "input" | "output") =>
    (
      z.toJSONSchema(z.globalRegistry, { io, unrepresentable: "any", uri: componentRef }) as {
        schemas: Record<string, unknown>;
      }
    ).schemas;
  const inputs = all("input");
  const outputs = all("output");
  return Object.fromEntries(
    Object.keys(outputs).map((id) => [
      id,
      id.endsWith("Request") ? allowingAnnotations(inComponents(inputs[id])) : inComponents(outputs[id]),
    ]),
  );
}

/** `users/{id:guid}` → `/api/users/{id}`, and the parameters it names. */
function pathOf(route: string): { path: string; params: { name: string; format?: string }[] } {
  const params: { name: string; format?: string }[] = [];
  const path = route.replace(/\{\*?(\w+)(?::(\w+))?\??\}/g, (_, name: string, constraint?: string) => {
    params.push({ name, ...(constraint === "guid" ? { format: "uuid" } : {}) });
    return `{${name}}`;
  });
  return { path: `/api/${path}`, params };
}

function parametersIn(schema: z.ZodType | undefined, where: "query" | "header"): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

const problemRef = { $ref: componentRef("Problem") };

/** The problem body of one status: its `status`, and a `code` among those answered with it. */
function problemAt(status: number): unknown {
  const codes = problemCodesWithStatus(status);
  return {
    type: "object",
    allOf: [problemRef],
    properties: { status: { const: status }, ...(codes.length > 0 ? { code: { enum: codes } } : {}) },
  };
}

const header = (description: string, schema: Record<string, unknown>) => ({
  description,
  required: true,
  schema,
});

/** What every response carries, as Microsoft Graph's do. */
const everyResponseHeaders = {
  "request-id": header("Identifies the request in the service's log (also in error.innerError)", {
    type: "string",
    format: "uuid",
  }),
  "client-request-id": header(
    "The request's client-request-id, echoed; a GUID made for the request when it sent none (also in error.innerError)",
    { type: "string" },
  ),
  Date: header("When the response was made (RFC 9110)", { type: "string" }),
};

/** Response headers every response of a status carries. */
function headersAt(status: number): Record<string, unknown> {
  const own: Record<string, unknown> =
    status === 201 || status === 202
      ? {
          Location: header("Where the created resource or the job is", {
            type: "string",
            format: "uri-reference",
          }),
        }
      : status === 429 || status === 503
        ? {
            "Retry-After": header("Seconds to wait before retrying", { type: "string", pattern: "^[0-9]+$" }),
          }
        : status === 401
          ? { "WWW-Authenticate": header("The bearer challenge (RFC 6750)", { type: "string" }) }
          : status === 405
            ? { Allow: header("The methods the path allows", { type: "string" }) }
            : {};
  return { ...everyResponseHeaders, ...own };
}

/** Headers a route documents for one of its responses (an ETag), always sent. */
function routeHeaders(headers: RouteResponse["headers"]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, { description, pattern }]) => [
      name,
      header(description, { type: "string", ...(pattern ? { pattern } : {}) }),
    ]),
  );
}

/** A problem's body, as application/json (Graph's SDKs) or, when Accept asks for it, problem+json. */
function problemResponseAt(status: number, description: string): Record<string, unknown> {
  const schema = problemAt(status);
  return {
    description,
    headers: headersAt(status),
    content: { "application/json": { schema }, "application/problem+json": { schema } },
  };
}

/**
 * Problems that do not depend on what a route does, kept once under `components.responses`. The
 * local host answers NotFound for a path no route serves and MethodNotAllowed for a method a path
 * does not serve; RequestHeaderFieldsTooLarge is answered before any route is chosen.
 */
const commonResponses = {
  ValidationFailed: [400, "ValidationFailed: the body, query or a header is not valid; `errors` says where"],
  Unauthorized: [401, "Unauthorized: missing, invalid or expired token"],
  Forbidden: [403, "Forbidden: the caller's roles do not allow this"],
  NotFound: [404, "NotFound: no route serves this path"],
  MethodNotAllowed: [405, "MethodNotAllowed: the path exists but not with this method; `Allow` lists them"],
  PayloadTooLarge: [413, "PayloadTooLarge: a body over 1 MiB (the local host refuses any over 8 MiB)"],
  UnsupportedMediaType: [415, "UnsupportedMediaType: a body that is not application/json"],
  RequestHeaderFieldsTooLarge: [431, "The request's headers are too large"],
  Internal: [500, "Internal: an unexpected failure; `instance` identifies the logged invocation"],
  ServiceUnavailable: [
    503,
    "ServiceUnavailable: storage cannot be reached; retry after Retry-After (a timed-out change may have been made: repeat it)",
  ],
} as const satisfies Record<string, readonly [number, string]>;

type CommonResponse = keyof typeof commonResponses;
const responseRef = (name: CommonResponse) => ({ $ref: `#/components/responses/${name}` });

/** The common problems a route can answer, from what it reads and whether it needs a token. */
function commonResponsesOf(spec: RouteSpec): Record<number, unknown> {
  // Every route but a GET reads its body: one without a body schema still refuses a malformed or
  // non-JSON body, or one that is not empty or {} (the Functions host drops a GET's body).
  const readsBody = spec.body !== undefined || spec.method !== "GET";
  const names: CommonResponse[] = [
    ...(readsBody || spec.query || spec.headers ? (["ValidationFailed"] as const) : []),
    ...(spec.right === "public" ? [] : (["Unauthorized"] as const)),
    ...(spec.right === "public" || spec.right === "authenticated" ? [] : (["Forbidden"] as const)),
    "PayloadTooLarge",
    ...(readsBody ? (["UnsupportedMediaType"] as const) : []),
    "RequestHeaderFieldsTooLarge",
    "Internal",
    // Every route with a token waits for storage to be ready.
    ...(spec.right === "public" ? [] : (["ServiceUnavailable"] as const)),
  ];
  return Object.fromEntries(names.map((name) => [commonResponses[name][0], responseRef(name)]));
}

export function buildOpenApiDocument(routes: readonly RouteSpec[]): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const { path, params } = pathOf(spec.route);
    const own = Object.fromEntries(
      Object.entries(spec.responses).map(([code, { description, schema, contentType, headers: own }]) => {
        const status = Number(code);
        if (schema === problemResponse) return [code, problemResponseAt(status, description)];
        const headers = { ...headersAt(status), ...routeHeaders(own) };
        return [
          code,
          {
            description,
            headers,
            ...(schema
              ? { content: { [contentType ?? "application/json"]: { schema: toSchema(schema, "output") } } }
              : {}),
          },
        ];
      }),
    );
    const operation = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      ...(spec.right === "public" ? { security: [] } : {}),
      parameters: [
        ...params.map(({ name, format }) => ({
          name,
          in: "path",
          required: true,
          schema: { type: "string", ...(format ? { format } : {}) },
        })),
        ...parametersIn(spec.query, "query"),
        ...parametersIn(spec.headers, "header"),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: allowingAnnotations(toSchema(spec.body, "input")) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries({ ...commonResponsesOf(spec), ...own }).sort(([a], [b]) => Number(a) - Number(b)),
      ),
    };
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation };
  }
  // The same operations under Graph's version segment: each /v1.0 path item refers to its /api one.
  for (const spec of routes) {
    const { path } = pathOf(spec.route);
    for (const prefix of spec.prefixes ?? routePrefixes) {
      const alias = `/${prefix}${path.slice("/api".length)}`;
      if (alias !== path)
        paths[alias] = { $ref: `#/paths/${path.replaceAll("~", "~0").replaceAll("/", "~1")}` };
    }
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "License assignment service",
      version: "0.1.0",
      description:
        "Assign and unassign product licenses, Microsoft Graph style. Errors are RFC 9457 problem details " +
        "with Microsoft Graph's error envelope (`error: { code, message, innerError, details? }`) beside " +
        "them, sent as application/problem+json when Accept asks for it and application/json otherwise. " +
        "Every response carries request-id and Date, and echoes client-request-id (a GUID made for a " +
        "request that sent none, as Graph does). " +
        "A path that no route serves answers the NotFound response, a method a path does not serve " +
        "the MethodNotAllowed response (components.responses). Every operation but health and " +
        "openapi.json is served under both /api and /v1.0 (Microsoft Graph's version segment, which " +
        "the Graph SDKs append to their base URL): each /v1.0 path refers to its /api path item.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      schemas: components(),
      responses: Object.fromEntries(
        Object.entries(commonResponses).map(([name, [status, description]]) => [
          name,
          problemResponseAt(status, description),
        ]),
      ),
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  };
}
