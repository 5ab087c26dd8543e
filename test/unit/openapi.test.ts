// The OpenAPI document generated from the route list and the request/response zod schemas.
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../shared/http/openapi.js";
import { routes } from "../../shared/http/routes.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);
}

function objectAt(value: unknown, ...keys: string[]): Json {
  const found = at(value, ...keys);
  if (!isObject(found)) throw new Error(`no object at ${keys.join(" → ")}`);
  return found;
}

/** Every value of a `$ref` key anywhere in the document. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === "$ref" && typeof inner === "string" ? [inner] : refsIn(inner),
  );
}

/** Resolves a local JSON pointer (`#/a/b`) against the document root, as OpenAPI 3.1 tools do. */
function resolvePointer(root: unknown, ref: string): unknown {
  const parts = ref.replace(/^#\/?/, "").split("/").filter(Boolean);
  return at(root, ...parts.map((part) => decodeURIComponent(part).replace(/~1/g, "/").replace(/~0/g, "~")));
}

const allRoutes = Object.values(routes);
const document = buildOpenApiDocument(allRoutes);
const paths = objectAt(document, "paths");
const operations = Object.values(paths).flatMap((item) => (isObject(item) ? Object.values(item) : []));
const assignLicense = objectAt(paths, "/api/users/{id}/assignLicense", "post");
const assignLicenseBodySchema = objectAt(
  assignLicense,
  "requestBody",
  "content",
  "application/json",
  "schema",
);

/** The schema itself, following its `$ref` into its own `$defs` when zod put it there. */
/** Follows a `#/components/schemas/X` reference to the shared component. */
function unwrap(schema: Json): Json {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.replace("#/components/schemas/", "");
  return objectAt(document, "components", "schemas", name);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1.0 with bearer security by default", () => {
    expect(at(document, "openapi")).toBe("3.1.0");
    expect(at(document, "security")).toEqual([{ bearer: [] }]);
    expect(at(document, "components", "securitySchemes", "bearer")).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
  });

  it("has one operation per route, each under /api with its method", () => {
    expect(operations).toHaveLength(allRoutes.length);
    const ids = operations.map((operation) => at(operation, "operationId"));
    expect(ids.sort()).toEqual(allRoutes.map((route) => route.operationId).sort());
    for (const route of allRoutes) {
      const path = Object.keys(paths).find(
        (candidate) => at(paths, candidate, route.method.toLowerCase(), "operationId") === route.operationId,
      );
      expect(path, route.operationId).toMatch(/^\/api\//);
    }
  });

  it("writes path parameters as {id}, never with an Azure constraint such as :guid", () => {
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        "/api/users/{id}",
        "/api/users/{id}/assignLicense",
        "/api/users/{id}/licenseDetails",
        "/api/subscriptions/{id}",
        "/api/subscriptions/{id}/takeOver",
        "/api/subscribedSkus/{skuId}",
      ]),
    );
    for (const path of Object.keys(paths)) expect(path).not.toMatch(/:|\?\}|\{\*/);
  });

  it("declares each path parameter as a required uuid string", () => {
    expect(at(assignLicense, "parameters")).toContainEqual({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    });
    for (const [path, item] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      for (const operation of Object.values(isObject(item) ? item : {})) {
        const parameters = at(operation, "parameters");
        const inPath = Array.isArray(parameters)
          ? parameters
              .filter((parameter) => at(parameter, "in") === "path")
              .map((parameter) => at(parameter, "name"))
          : [];
        expect(inPath, path).toEqual(names);
      }
    }
  });

  it("gives the assignLicense body additionalProperties: false and GUID skuIds", () => {
    const schema = unwrap(assignLicenseBodySchema);
    expect(schema.additionalProperties).toBe(false);
    const license = objectAt(schema, "properties", "addLicenses", "items");
    expect(license.additionalProperties).toBe(false);
    expect(at(license, "properties", "skuId", "format")).toBe("uuid");
    expect(at(license, "required")).toEqual(["skuId"]);
    expect(at(schema, "properties", "removeLicenses", "items", "format")).toBe("uuid");
  });

  it("documents the dryRun query parameter of assignLicense as optional", () => {
    expect(at(assignLicense, "parameters")).toContainEqual(
      expect.objectContaining({ name: "dryRun", in: "query", required: false }),
    );
  });

  it("lets health and openapi.json be called without a token, and only those", () => {
    expect(at(paths, "/api/health", "get", "security")).toEqual([]);
    expect(at(paths, "/api/openapi.json", "get", "security")).toEqual([]);
    const open = operations.filter((operation) => at(operation, "security") !== undefined);
    expect(open.map((operation) => at(operation, "operationId")).sort()).toEqual(["health", "openApi"]);
  });

  it("documents errors as application/problem+json", () => {
    expect(
      at(assignLicense, "responses", "409", "content", "application/problem+json", "schema"),
    ).toBeDefined();
    expect(at(assignLicense, "responses", "200", "content", "application/json", "schema")).toBeDefined();
  });

  // OpenAPI 3.1 resolves `#/...` against the whole document unless a schema sets `$id`; zod's
  // `$ref: "#/$defs/AssignLicenseRequest"` points at a `$defs` nested inside the request body schema,
  // which is not at the document root, so validators and code generators cannot resolve it.
  it("has no $ref that fails to resolve against the document root", () => {
    const unresolved = refsIn(document).filter((ref) => resolvePointer(document, ref) === undefined);
    expect(unresolved).toEqual([]);
  });

  // functions/health.ts answers 503 with the health body as application/json; the document says
  // application/problem+json for every status >= 400.
  it("documents the health 503 body under the media type it is sent with", () => {
    expect(at(paths, "/api/health", "get", "responses", "503", "content", "application/json")).toBeDefined();
  });
});
