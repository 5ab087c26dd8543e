// The OpenAPI document as a test oracle: every response a test receives over HTTP is checked against
// what the document says for its path, method and status (status listed, content type, body schema,
// required headers), with a real JSON Schema 2020-12 validator (Ajv's Ajv2020).
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import formats from "ajv-formats";
import { buildOpenApiDocument } from "../../shared/http/openapi.js";
import { routes } from "../../shared/http/routes.js";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The keys of an OpenAPI document's root, which are not JSON Schema keywords. */
const openApiRootKeys = [
  "openapi",
  "info",
  "jsonSchemaDialect",
  "servers",
  "paths",
  "webhooks",
  "components",
  "security",
  "tags",
  "externalDocs",
];

export const documentId = "urn:license-service:openapi.json";

/** One JSON pointer token, escaped for use in a URI fragment. */
export const pointerToken = (token: string): string =>
  encodeURIComponent(token.replace(/~/g, "~0").replace(/\//g, "~1"));

/**
 * An Ajv2020 holding the whole document under `documentId`, so that every `#/components/...`
 * reference resolves against the document's root as OpenAPI 3.1 says. Strict mode: an unknown
 * keyword, a `$id` with a fragment or a type mix-up in a schema fails its compilation.
 */
export function openApiValidator(document: unknown): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  // ajv-formats is CommonJS; under NodeNext its default import is the module, the plugin is `.default`.
  formats.default(ajv);
  ajv.addVocabulary(openApiRootKeys);
  ajv.addSchema({ ...(isObject(document) ? document : {}), $id: documentId });
  return ajv;
}

const document = buildOpenApiDocument(Object.values(routes)) as Json;
const ajv = openApiValidator(document);
const validators = new Map<string, ValidateFunction>();

/** The compiled schema at a JSON pointer (`/paths/...`) of the document. */
function schemaAt(pointer: readonly string[]): ValidateFunction {
  const ref = `${documentId}#/${pointer.map(pointerToken).join("/")}`;
  let validate = validators.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    validators.set(ref, validate);
  }
  return validate;
}

function at(value: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);
}

interface PathItem {
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly methods: Json;
}

const documentPaths = isObject(document.paths) ? document.paths : {};

/** A path item that only refers to another (`{ $ref: "#/paths/~1api~1users" }`): that one's path. */
function referredPath(item: unknown): string | undefined {
  const ref = at(item, ["$ref"]);
  if (typeof ref !== "string" || !ref.startsWith("#/paths/")) return undefined;
  return ref.slice("#/paths/".length).replace(/~1/g, "/").replace(/~0/g, "~");
}

const pathItems: PathItem[] = Object.entries(documentPaths)
  .map(([path, item]) => {
    // The /v1.0 paths refer to their /api path items: the operations, and the pointers into them,
    // are the referred item's.
    const template = referredPath(item) ?? path;
    const methods = documentPaths[template];
    const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
    const source = path
      .split(/\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("([^/]+)");
    return { template, pattern: new RegExp(`^${source}$`), names, methods: isObject(methods) ? methods : {} };
  })
  // Concrete paths before templated ones, as OpenAPI matches them.
  .sort((a, b) => a.names.length - b.names.length);

/** The documented path a request path falls under: its template matches and its parameters validate. */
function pathItemOf(pathname: string): PathItem | undefined {
  return pathItems.find((item) => {
    const match = item.pattern.exec(pathname);
    if (!match) return false;
    return Object.entries(item.methods).every(([method, operation]) => {
      const parameters = at(operation, ["parameters"]);
      if (!Array.isArray(parameters)) return true;
      return parameters.every((parameter, index) => {
        if (at(parameter, ["in"]) !== "path") return true;
        const value = match[item.names.indexOf(String(at(parameter, ["name"]))) + 1];
        if (value === undefined) return false;
        return schemaAt(["paths", item.template, method, "parameters", String(index), "schema"])(
          decodeURIComponent(value),
        );
      });
    });
  });
}

export interface ReceivedResponse {
  readonly method: string;
  /** The requested path, with or without a query. */
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const describeErrors = (errors: ErrorObject[] | null | undefined, what: string): string =>
  ajv.errorsText(errors, { dataVar: what, separator: "\n    " });

/** The failures of a response against the document, empty when it conforms. */
export function contractViolations(response: ReceivedResponse): string[] {
  const pathname = new URL(response.path, "http://host").pathname;
  const method = response.method.toLowerCase();
  const item = pathItemOf(pathname);
  const operation = item ? item.methods[method] : undefined;
  let base: string[];
  let responses: unknown;
  let where: string;
  if (item && isObject(operation)) {
    base = ["paths", item.template, method, "responses"];
    responses = operation.responses;
    where = `operation ${String(operation.operationId)}`;
  } else {
    const name = item ? "MethodNotAllowed" : "NotFound";
    base = ["components", "responses"];
    responses = {
      [response.status === (item ? 405 : 404) ? String(response.status) : "none"]: { $ref: name },
    };
    where = item ? `${item.template}, which has no ${method} operation` : "no documented path";
  }
  const key = [String(response.status), `${String(response.status).charAt(0)}XX`, "default"].find(
    (candidate) => isObject(at(responses, [candidate])),
  );
  if (!key) {
    const listed = Object.keys(isObject(responses) ? responses : {}).join(", ") || "nothing";
    return [`status ${response.status} is not documented for ${where} (documented: ${listed})`];
  }
  let entry = at(responses, [key]);
  let pointer = [...base, key];
  const ref = at(entry, ["$ref"]);
  if (typeof ref === "string") {
    const name = ref.replace("#/components/responses/", "");
    entry = at(document, ["components", "responses", name]);
    pointer = ["components", "responses", name];
  }

  const problems: string[] = [];
  const content = at(entry, ["content"]);
  const mediaType = (response.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (isObject(content)) {
    if (!isObject(content[mediaType])) {
      problems.push(
        `content type "${mediaType}" is not documented for ${response.status} (documented: ${Object.keys(content).join(", ")})`,
      );
    } else {
      let body: unknown;
      try {
        body = JSON.parse(response.text);
      } catch {
        problems.push(`the body is not JSON: ${response.text.slice(0, 200)}`);
      }
      const validate = schemaAt([...pointer, "content", mediaType, "schema"]);
      if (body !== undefined && !validate(body)) problems.push(describeErrors(validate.errors, "body"));
    }
  } else if (response.text !== "") {
    problems.push(`a body is sent, but ${response.status} documents none`);
  }

  const headers = at(entry, ["headers"]);
  for (const [name, header] of Object.entries(isObject(headers) ? headers : {})) {
    const value = response.headers.get(name);
    if (value === null) {
      if (at(header, ["required"]) === true) problems.push(`the required header ${name} is missing`);
      continue;
    }
    const validate = schemaAt([...pointer, "headers", name, "schema"]);
    if (!validate(value)) problems.push(describeErrors(validate.errors, `header ${name}`));
  }
  return problems.map((problem) => `${problem} [${where}]`);
}

/** Throws, naming the request, the status and each disagreement, unless the response conforms. */
export function assertConformsToOpenApi(response: ReceivedResponse): void {
  const problems = contractViolations(response);
  if (problems.length === 0) return;
  throw new Error(
    `${response.method} ${response.path} → ${response.status} does not match the OpenAPI document:\n  ` +
      `${problems.join("\n  ")}\n  body: ${response.text.slice(0, 600)}`,
  );
}
