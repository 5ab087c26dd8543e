// The OpenAPI 3.1 document, generated from the route list and the same zod schemas that validate
// requests (OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod emits natively).
import { z } from "zod";
import type { RouteSpec } from "./route.js";
import { problemResponse } from "./schemas.js";

const componentRef = (id: string): string => `#/components/schemas/${id}`;

/** Points zod's local `#/$defs/X` references at the document's shared components instead. */
function inComponents(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(inComponents);
  if (typeof json !== "object" || json === null) return json;
  const result: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(json)) {
    if (name === "$defs" || name === "$schema") continue;
    result[name] =
      name === "$ref" && typeof value === "string"
        ? value.replace(/^#\/\$defs\//, "#/components/schemas/")
        : inComponents(value);
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
    Object.keys(outputs).map((id) => [id, inComponents(id.endsWith("Request") ? inputs[id] : outputs[id])]),
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

function queryParameters(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const json = toSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: "query",
    required: json.required?.includes(name) ?? false,
    schema: property,
  }));
}

export function buildOpenApiDocument(routes: readonly RouteSpec[]): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const { path, params } = pathOf(spec.route);
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
        ...queryParameters(spec.query),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: toSchema(spec.body, "input") } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(spec.responses).map(([status, { description, schema }]) => [
          status,
          {
            description,
            ...(schema
              ? {
                  content: {
                    [schema === problemResponse ? "application/problem+json" : "application/json"]: {
                      schema: toSchema(schema, "output"),
                    },
                  },
                }
              : {}),
          },
        ]),
      ),
    };
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "License assignment service",
      version: "0.1.0",
      description:
        "Assign and unassign product licenses, Microsoft Graph style. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
    paths,
  };
}
