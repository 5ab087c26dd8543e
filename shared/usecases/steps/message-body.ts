// A queue message's body as JSON, however the trigger hands it over.

/** The message body as the trigger hands it over (parsed JSON, a JSON string, or bytes); undefined if not JSON. */
export function decodeBody(body: unknown): { value: unknown } | undefined {
  const text =
    typeof body === "string" ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : undefined;
  if (text === undefined) return { value: body };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}
