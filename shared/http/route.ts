// The API's routes as data: method, Azure route template, required right and schemas. Function
// modules bind a handler to a route; the OpenAPI document is generated from the same list.
import type { z } from "zod";
import type { Right } from "../domain/roles.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/**
 * The path segments the API is served under: `api` (the Functions default) and `v1.0`, Microsoft
 * Graph's version segment, which the Graph SDKs append to their base URL.
 */
export const routePrefixes = ["api", "v1.0"] as const;
export type RoutePrefix = (typeof routePrefixes)[number];

export interface RouteSpec {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Azure route template under each prefix (/api, /v1.0), e.g. `users/{id:guid}/assignLicense`. */
  readonly route: string;
  /** The prefixes it is served under; all of `routePrefixes` unless given. */
  readonly prefixes?: readonly RoutePrefix[];
  readonly summary: string;
  readonly tag: string;
  /** "public" routes need no token; "authenticated" ones a valid token and no particular right. */
  readonly right: Right | "public" | "authenticated";
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Request headers the route reads, as an object keyed by lower-case header name. */
  readonly headers?: z.ZodObject;
  readonly responses: Readonly<Record<number, RouteResponse>>;
}

export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** The body's media type when it is not application/json. */
  readonly contentType?: string;
  /** Headers this response always carries, beside those of its status (openapi.ts), by name. */
  readonly headers?: Readonly<Record<string, ResponseHeader>>;
}

export interface ResponseHeader {
  readonly description: string;
  /** A JSON Schema `pattern` the value matches. */
  readonly pattern?: string;
}

export const defineRoute = <const S extends RouteSpec>(spec: S): S => spec;
