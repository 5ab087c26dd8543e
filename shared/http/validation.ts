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

/** The schema under optional, nullable, default and pipe wrappers, as far as they are known. */
function innerSchema(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else break;
  }
  return current;
}

/**
 * A body without its OData annotations (`@odata.type`, `@odata.context`, ... at any depth), which
 * Graph's SDKs and scripts send and Graph ignores; every other member is kept, and checked. Read
 * along the schema: an `@odata.` member an object schema declares is content and kept (a
 * reference's `@odata.id`), and a value the schema takes as it is (`unknown`: a `$batch` request's
 * own body, checked when it is dispatched) is left as sent.
 */
function withoutAnnotations(value: unknown, schema?: z.ZodType): unknown {
  const inner = innerSchema(schema);
  if (inner instanceof z.ZodUnknown || inner instanceof z.ZodAny) return value;
  if (Array.isArray(value)) {
    const item = inner instanceof z.ZodArray ? (inner.element as z.ZodType) : undefined;
    return value.map((member) => withoutAnnotations(member, item));
  }
  if (typeof value !== "object" || value === null) return value;
  const shape: Record<string, z.ZodType> = inner instanceof z.ZodObject ? inner.shape : {};
  return Object.fromEntries(
    Object.entries(value)
      .filter(([name]) => Object.hasOwn(shape, name) || !name.startsWith("@odata."))
      .map(([name, member]) => [
        name,
        withoutAnnotations(member, Object.hasOwn(shape, name) ? shape[name] : undefined),
      ]),
  );
}

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "body" | "query" | "headers",
): z.output<S> {
  const result = schema.safeParse(where === "body" ? withoutAnnotations(input, schema) : input);
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
