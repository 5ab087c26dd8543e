// Request bodies and queries through zod: bad input becomes a 400 that says what and where.
import type { HttpRequest } from "@azure/functions";
import type { z } from "zod";
import { ProblemError } from "../domain/problem.js";

export const maxBodyBytes = 1024 * 1024;

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => {
    if (typeof part === "number") return `${text}[${part}]`;
    return text ? `${text}.${String(part)}` : String(part);
  }, "");
}

export function validate<S extends z.ZodType>(
  schema: S,
  input: unknown,
  where: "body" | "query" | "headers",
): z.output<S> {
  const result = schema.safeParse(input);
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

/** Reads a JSON body of at most 1 MiB (413 beyond), refusing malformed JSON and non-JSON media types. */
export async function readJsonBody(request: HttpRequest): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const tooLarge = new ProblemError(
    "PayloadTooLarge",
    `The request body is larger than ${maxBodyBytes} bytes (1 MiB); split the request.`,
  );
  if (declared > maxBodyBytes) throw tooLarge;
  const contentType = request.headers.get("content-type");
  if (contentType && !/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw new ProblemError("UnsupportedMediaType", `Send the body as application/json, not ${contentType}.`);
  }
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > maxBodyBytes) throw tooLarge;
  const text = new TextDecoder().decode(bytes);
  if (text.trim() === "")
    throw new ProblemError("ValidationFailed", "The request needs a JSON body.", [
      { path: "body", message: "required" },
    ]);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProblemError("ValidationFailed", "Malformed JSON in request body.", [
      { path: "body", message: "not valid JSON" },
    ]);
  }
}
