// Request bodies and queries through zod: bad input becomes a 400 that says what and where.
import type { HttpRequest } from "@azure/functions";
import { z } from "zod";
import { ProblemError } from "../domain/problem.js";

export const maxBodyBytes = 1024 * 1024;

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, "");
}

/**
 * A body without its OData annotations (`@odata.type`, `@odata.context`, ... at any depth), which
 * Graph's SDKs and scripts send and Graph ignores; every other member is kept, and checked. `keep`
 * names top-level members that are the body's content, as `@odata.id` of a reference (`$ref`).
 */
function withoutAnnotations(value: unknown, keep: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutAnnotations(item));
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => keep.has(name) || !name.startsWith("@odata."))
      .map(([name, member]) => [name, withoutAnnotations(member)]),
  );
}

/** The `@odata.` members a body schema declares itself (a reference's `@odata.id`). */
const declaredAnnotations = (schema: z.ZodType): ReadonlySet<string> =>
  new Set(
    schema instanceof z.ZodObject
      ? Object.keys(schema.shape).filter((name) => name.startsWith("@odata."))
      : [],
  );

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "body" | "query" | "headers",
): z.output<S> {
  const result = schema.safeParse(
    where === "body" ? withoutAnnotations(input, declaredAnnotations(schema)) : input,
  );
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const path = pathOf(issue.path);
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const message = keys.length > 0 ? `unknown field(s) ${keys.join(", ")}` : issue.message;
    return { path: path || where, message };
  });
  const summary = errors
    .slice(0, 3)
    .map((e) => `${e.path}: ${e.message}`)
    .join("; ");
  const verb = where === "headers" ? "are" : "is";
  throw new ProblemError("ValidationFailed", `The request ${where} ${verb} not valid: ${summary}.`, errors);
}

/** The body of a route that takes none: nothing, or an empty object. */
const noBody = z.strictObject({});

/**
 * Reads a JSON body of at most 1 MiB (413 beyond), refusing malformed JSON, text that is not UTF-8
 * and non-JSON media types. With `required: false` (routes that take no body) an empty body is
 * `undefined`, and anything else must be `{}`: a route never silently ignores what it was sent.
 */
export async function readJsonBody(
  request: HttpRequest,
  options: { readonly required: boolean } = { required: true },
): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = new ProblemError(
    "PayloadTooLarge",
    `The request body is larger than ${maxBodyBytes} bytes (1 MiB); split the request.`,
  );
  if (declared > maxBodyBytes) throw tooLarge;
  const contentType = request.headers.get("content-type");
  const unsupported =
    contentType !== null && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)
      ? new ProblemError("UnsupportedMediaType", `Send the body as application/json, not ${contentType}.`)
      : undefined;
  if (unsupported && options.required) throw unsupported;
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBodyBytes) throw tooLarge;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ProblemError("ValidationFailed", "The request body is not valid UTF-8.", [
      { path: "body", message: "not valid UTF-8" },
    ]);
  }
  if (text.trim() === "") {
    if (!options.required) return undefined;
    throw new ProblemError("ValidationFailed", "The request needs a JSON body.", [
      { path: "body", message: "required" },
    ]);
  }
  if (unsupported) throw unsupported;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProblemError("ValidationFailed", "Malformed JSON in request body.", [
      { path: "body", message: "not valid JSON" },
    ]);
  }
  return options.required ? parsed : validate(noBody, parsed, "body");
}
