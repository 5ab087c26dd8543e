// The OpenAPI document generated from the route list and the request/response zod schemas.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { buildOpenApiDocument } from "../../shared/http/openapi.js";
import * as s from "../../shared/http/request-schemas.js";
import type { RouteSpec } from "../../shared/http/route.js";
import { routes } from "../../shared/http/routes.js";
import { validate as validateInput } from "../../shared/http/validation.js";
import { documentId, openApiValidator, pointerToken } from "../support/contract.js";

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

const allRoutes: readonly RouteSpec[] = Object.values(routes);
const document = buildOpenApiDocument(allRoutes);
const allPaths = objectAt(document, "paths");
/** The path items themselves, without the /v1.0 ones that only refer to them. */
const paths = Object.fromEntries(
  Object.entries(allPaths).filter(([, item]) => !isObject(item) || item.$ref === undefined),
);
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

  it("serves every operation but health, openapi.json and console/config under /v1.0 too, as its /api path item", () => {
    const aliases = Object.keys(allPaths).filter((path) => path.startsWith("/v1.0/"));
    expect(aliases.sort()).toEqual(
      Object.keys(paths)
        .filter((path) => !["/api/health", "/api/openapi.json", "/api/console/config"].includes(path))
        .map((path) => path.replace(/^\/api\//, "/v1.0/"))
        .sort(),
    );
    for (const alias of aliases) {
      const ref = at(allPaths, alias, "$ref");
      expect(typeof ref === "string" ? resolvePointer(document, ref) : undefined, alias).toBe(
        paths[alias.replace(/^\/v1\.0\//, "/api/")],
      );
    }
    expect(Object.keys(allPaths)).toEqual(expect.arrayContaining(["/v1.0/$batch", "/api/$batch"]));
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

  it("declares each path parameter as a required string, a uuid where only a GUID is taken", () => {
    expect(at(objectAt(paths, "/api/subscriptions/{id}/takeOver", "post"), "parameters")).toContainEqual({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    });
    // A user is named by id or userPrincipalName, as in Graph.
    expect(at(assignLicense, "parameters")).toContainEqual({
      name: "id",
      in: "path",
      required: true,
      schema: { type: "string" },
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
    // Each list may also be null (Graph's SDKs send that for an empty list).
    const variants = (name: string) => {
      const anyOf = at(schema, "properties", name, "anyOf");
      return Array.isArray(anyOf) ? anyOf : [];
    };
    const license = objectAt(variants("addLicenses")[0], "items");
    expect(license.additionalProperties).toBe(false);
    expect(at(license, "properties", "skuId", "format")).toBe("uuid");
    expect(at(license, "required")).toEqual(["skuId"]);
    expect(at(variants("removeLicenses")[0], "items", "format")).toBe("uuid");
    expect(variants("removeLicenses")[1]).toEqual({ type: "null" });
    // OData annotations (`@odata.type`) are admitted, at every depth, and ignored.
    expect(Object.keys(objectAt(license, "patternProperties"))).toEqual(["^@odata\\."]);
  });

  it("documents the dryRun query parameter of assignLicense as optional", () => {
    expect(at(assignLicense, "parameters")).toContainEqual(
      expect.objectContaining({ name: "dryRun", in: "query", required: false }),
    );
  });

  it("lets health, openapi.json and the console's sign-in settings be called without a token, and only those", () => {
    expect(at(paths, "/api/health", "get", "security")).toEqual([]);
    expect(at(paths, "/api/openapi.json", "get", "security")).toEqual([]);
    expect(at(paths, "/api/console/config", "get", "security")).toEqual([]);
    const open = operations.filter((operation) => at(operation, "security") !== undefined);
    expect(open.map((operation) => at(operation, "operationId")).sort()).toEqual([
      "consoleConfig",
      "health",
      "openApi",
    ]);
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

  it("compiles with Ajv2020 in strict mode, every schema in it, with every $ref resolved", () => {
    const ajv = openApiValidator(document);
    const pointers = schemaPointers(document);
    expect(pointers.length).toBeGreaterThan(100);
    const failures = pointers.flatMap((pointer) => {
      const where = pointer.join(" → ");
      // Valid against the 2020-12 meta-schema (which refuses, e.g., a `$id` with a #fragment)...
      const schema = at(document, ...pointer);
      if (!ajv.validateSchema(isObject(schema) ? schema : {}))
        return [`${where}: ${ajv.errorsText(ajv.errors)}`];
      // ...and compiled, every `$ref` in it resolved against the document's root.
      try {
        ajv.compile({ $ref: `${documentId}#/${pointer.map(pointerToken).join("/")}` });
        return [];
      } catch (error) {
        return [`${where}: ${error instanceof Error ? error.message : String(error)}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it("gives no schema a $id (a $id with a #fragment is refused by JSON Schema 2020-12)", () => {
    expect(JSON.stringify(document)).not.toContain('"$id"');
  });

  it("documents the problems each route can answer, with the headers they carry", () => {
    for (const route of allRoutes) {
      const operation = objectAt(paths, openApiPath(route.route), route.method.toLowerCase());
      const statuses = Object.keys(objectAt(operation, "responses")).map(Number);
      const name = route.operationId;
      expect(statuses, name).toEqual(expect.arrayContaining([413, 431, 500]));
      if (route.right !== "public") expect(statuses, name).toEqual(expect.arrayContaining([401, 503]));
      // A route that needs a right refuses a token without it; $batch needs only a valid token.
      if (route.right === "public" || route.right === "authenticated")
        expect(statuses, name).not.toContain(403);
      else expect(statuses, name).toContain(403);
      // Every route but a GET reads its body, by the body rules, even without a body schema.
      const readsBody = route.body !== undefined || route.method !== "GET";
      if (readsBody || route.query || route.headers) expect(statuses, name).toContain(400);
      else expect(statuses, name).not.toContain(400);
      if (readsBody) expect(statuses, name).toContain(415);
      else expect(statuses, name).not.toContain(415);
      const response = (status: number) => {
        const entry = at(operation, "responses", String(status));
        const ref = at(entry, "$ref");
        return typeof ref === "string" ? resolvePointer(document, ref) : entry;
      };
      for (const status of statuses.filter((code) => code === 201 || code === 202))
        expect(at(response(status), "headers", "Location", "required"), name).toBe(true);
      for (const status of statuses.filter((code) => code === 429 || code === 503))
        expect(at(response(status), "headers", "Retry-After", "required"), name).toBe(true);
    }
    const components = objectAt(document, "components", "responses");
    expect(Object.keys(components)).toEqual(expect.arrayContaining(["NotFound", "MethodNotAllowed"]));
    expect(at(components, "MethodNotAllowed", "headers", "Allow", "required")).toBe(true);
    expect(at(components, "Unauthorized", "headers", "WWW-Authenticate", "required")).toBe(true);
    expect(at(paths, "/api/health", "get", "responses", "503", "headers", "Retry-After", "required")).toBe(
      true,
    );
  });

  // A use case that retries on ETag conflicts gives up with 429 TooManyRequests (retry-on-conflict.ts).
  it("documents 429 on every route whose use case retries on conflict", () => {
    const retrying = readdirSync("functions").flatMap((file) => {
      const source = readFileSync(`functions/${file}`, "utf8");
      const route = /httpFunction\(\s*routes\.(\w+)/.exec(source)?.[1];
      const usecases = [...source.matchAll(/from "\.\.\/shared\/usecases\/([\w-]+)\.js"/g)].map((m) => m[1]);
      const retries = usecases.some((name) =>
        readFileSync(`shared/usecases/${name}.ts`, "utf8").includes("retryOnConflict("),
      );
      return route && retries ? [route] : [];
    });
    expect(retrying.length).toBeGreaterThan(5);
    for (const name of retrying) {
      const route: RouteSpec | undefined = (routes as Record<string, RouteSpec>)[name];
      expect(Object.keys(route?.responses ?? {}), name).toContain("429");
    }
  });

  it("documents the Idempotency-Key request header of the bulk route", () => {
    expect(at(paths, "/api/licenses/bulk", "post", "parameters")).toContainEqual(
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    );
  });

  it("constrains each problem's status and code to the response it is documented under", () => {
    const ajv = openApiValidator(document);
    const conflict = ajv.compile({
      $ref: `${documentId}#/${["paths", "/api/users/{id}/assignLicense", "post", "responses", "409", "content", "application/problem+json", "schema"].map(pointerToken).join("/")}`,
    });
    const problem = {
      type: "urn:x",
      title: "t",
      detail: "d",
      error: {
        code: "CountViolation",
        message: "d",
        innerError: {
          date: "2026-11-22T09:00:00",
          "request-id": "6b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b",
          "client-request-id": "script-1",
        },
      },
    };
    expect(conflict({ ...problem, status: 409, code: "CountViolation" })).toBe(true);
    expect(conflict({ ...problem, status: 404, code: "CountViolation" })).toBe(false);
    expect(conflict({ ...problem, status: 409, code: "NotFound" })).toBe(false);
  });

  // The rules zod checks with refine are said in JSON Schema too, so that the document refuses what
  // the service refuses: both must give the same verdict on each of these bodies.
  const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
  // Graph's documented create-user body, as its SDKs and docs send it.
  const graphCreateUser = {
    accountEnabled: true,
    displayName: "Adele Vance",
    mailNickname: "AdeleV",
    userPrincipalName: "AdeleV@contoso.example",
    passwordProfile: { forceChangePasswordNextSignIn: true, password: "xWwvJ]6NMw+bWH-d" },
  };
  const samples: [string, unknown, boolean, z.ZodType][] = [
    ["UpdateUserRequest", {}, false, s.updateUserBody],
    ["UpdateUserRequest", { litigationHold: true }, true, s.updateUserBody],
    ["UpdateUserRequest", { givenName: null, businessPhones: null }, true, s.updateUserBody],
    ["UpdateUserRequest", { businessPhones: ["1", "2"] }, false, s.updateUserBody],
    ["CreateUserRequest", graphCreateUser, true, s.createUserBody],
    [
      "CreateUserRequest",
      { ...graphCreateUser, passwordProfile: { password: "x", expires: "never" } },
      false,
      s.createUserBody,
    ],
    ["CreateUserRequest", { ...graphCreateUser, mailNickname: "a b" }, false, s.createUserBody],
    ["UpdateSubscriptionRequest", {}, false, s.updateSubscriptionBody],
    ["UpdateSubscriptionRequest", { seats: 3 }, true, s.updateSubscriptionBody],
    ["AssignLicenseRequest", {}, false, s.assignLicenseBody],
    ["AssignLicenseRequest", { addLicenses: [], removeLicenses: [] }, false, s.assignLicenseBody],
    ["AssignLicenseRequest", { removeLicenses: [id(1)] }, true, s.assignLicenseBody],
    ["AssignLicenseRequest", { addLicenses: null, removeLicenses: [id(1)] }, true, s.assignLicenseBody],
    ["AssignLicenseRequest", { addLicenses: null, removeLicenses: null }, false, s.assignLicenseBody],
    [
      "AssignLicenseRequest",
      {
        "@odata.type": "#microsoft.graph.assignLicense",
        addLicenses: [
          { "@odata.type": "#microsoft.graph.assignedLicense", skuId: id(2), disabledPlans: null },
        ],
      },
      true,
      s.assignLicenseBody,
    ],
    ["AssignLicenseRequest", { addLicenses: [{ skuId: id(2), odata: 1 }] }, false, s.assignLicenseBody],
    ["BulkRequest", { userIds: [id(1)], operation: "add" }, false, s.bulkBody],
    ["BulkRequest", { userIds: [id(1)], operation: "add", licenses: [] }, false, s.bulkBody],
    ["BulkRequest", { userIds: [id(1)], operation: "add", licenses: [{ skuId: id(2) }] }, true, s.bulkBody],
    ["BulkRequest", { userIds: [id(1)], operation: "removeAll" }, true, s.bulkBody],
    [
      "BulkRequest",
      { userIds: [id(1)], operation: "removeAll", licenses: [{ skuId: id(2) }] },
      false,
      s.bulkBody,
    ],
    ["BulkRequest", { userIds: [id(1), id(1)], operation: "removeAll" }, false, s.bulkBody],
    ["ProductAssignRequest", { userIds: [id(1), id(1)] }, false, s.productAssignBody],
    ["ProductUnassignRequest", { userIds: [id(1), id(2)] }, true, s.productUnassignBody],
  ];
  it.each(samples)("%s says of %j what zod says: valid %s", (name, body, valid, schema) => {
    const validate = openApiValidator(document).compile({
      $ref: `${documentId}#/components/schemas/${name}`,
    });
    // As the service validates a body: OData annotations ignored, everything else checked.
    const accepted = (() => {
      try {
        validateInput(schema, body, "body");
        return true;
      } catch {
        return false;
      }
    })();
    expect(accepted).toBe(valid);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(valid);
  });
});

/** `users/{id:guid}` → `/api/users/{id}`. */
const openApiPath = (route: string): string => `/api/${route.replace(/\{(\w+)(:\w+)?\}/g, "{$1}")}`;

/** The JSON pointer of every schema in the document: components, parameters, bodies, responses. */
function schemaPointers(root: unknown): string[][] {
  const result: string[][] = [];
  const inResponse = (response: unknown, at: string[]) => {
    for (const media of Object.keys(isObject(response) && isObject(response.content) ? response.content : {}))
      result.push([...at, "content", media, "schema"]);
    for (const name of Object.keys(isObject(response) && isObject(response.headers) ? response.headers : {}))
      result.push([...at, "headers", name, "schema"]);
  };
  for (const name of Object.keys(objectAt(root, "components", "schemas")))
    result.push(["components", "schemas", name]);
  for (const [name, response] of Object.entries(objectAt(root, "components", "responses")))
    inResponse(response, ["components", "responses", name]);
  for (const [path, item] of Object.entries(objectAt(root, "paths"))) {
    if (isObject(item) && item.$ref !== undefined) continue;
    for (const [method, operation] of Object.entries(isObject(item) ? item : {})) {
      const base = ["paths", path, method];
      const parameters = at(operation, "parameters");
      if (Array.isArray(parameters))
        for (const i of parameters.keys()) result.push([...base, "parameters", String(i), "schema"]);
      inResponse(at(operation, "requestBody"), [...base, "requestBody"]);
      for (const [status, response] of Object.entries(objectAt(operation, "responses")))
        inResponse(response, [...base, "responses", status]);
    }
  }
  return result;
}
