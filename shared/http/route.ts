// The API's routes as data: method, Azure route template, required right and schemas. Function
// modules bind a handler to a route; the OpenAPI document is generated from the same list.
import type { z } from "zod";
import type { Right } from "../domain/roles.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface RouteSpec {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Azure route template under /api, e.g. `users/{id:guid}/assignLicense`. */
  readonly route: string;
  readonly summary: string;
  readonly tag: string;
  /** "public" routes need no token. */
  readonly right: Right | "public";
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  /** Request headers the route reads, as an object keyed by lower-case header name. */
  readonly headers?: z.ZodObject;
  readonly responses: Readonly<
    Record<
      number,
      {
        readonly description: string;
        readonly schema?: z.ZodType;
        /** The body's media type when it is not application/json. */
        readonly contentType?: string;
      }
    >
  >;
}

export const defineRoute = <const S extends RouteSpec>(spec: S): S => spec;
