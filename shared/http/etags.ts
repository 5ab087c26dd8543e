// ETag and If-Match (RFC 9110): a stored record's version travels as an opaque weak entity tag,
// `W/"<base64url of the version>"`, so callers never see how storage spells its versions. If-Match
// is compared weakly, as Graph's Planner and Azure Storage do: `W/"x"` and `"x"` both match.
import { z } from "zod";
import type { IfMatch } from "../usecases/ports.js";

const encode = (version: string): string => Buffer.from(version, "utf8").toString("base64url");

/** The ETag header value of a record at `version`. */
export const entityTag = (version: string): string => `W/"${encode(version)}"`;

/** The response header carrying a record's version. */
export const etagHeader = (version: string): Record<string, string> => ({ etag: entityTag(version) });

/** What the ETags this service sends look like (OpenAPI). */
export const entityTagPattern = '^W/"[A-Za-z0-9_-]*"$';

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110 8.8.3).
const tag = '(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"';
const ifMatchPattern = new RegExp(`^\\s*(?:\\*|${tag}(?:\\s*,\\s*${tag})*)\\s*$`);

/** The versions an If-Match value names; a tag this service did not make names none. */
function versionsIn(value: string): IfMatch {
  if (value.trim() === "*") return "*";
  return [...value.matchAll(/(?:W\/)?"([^"]*)"/g)].flatMap(([, opaque = ""]) => {
    const version = Buffer.from(opaque, "base64url").toString("utf8");
    return encode(version) === opaque ? [version] : [];
  });
}

/** Request headers of a write that honours If-Match. */
export const ifMatchHeaders = z.object({
  "If-Match": z
    .string()
    .regex(ifMatchPattern, 'must be "*" or one or more ETags as the ETag header gave them, e.g. W/"…"')
    .transform(versionsIn)
    .optional()
    .meta({
      description:
        'Change the record only if its ETag is still this one (or any, for "*"); otherwise 412 PreconditionFailed and nothing changes',
    }),
});
