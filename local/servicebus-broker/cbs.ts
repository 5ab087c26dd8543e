import { createHmac, timingSafeEqual } from "node:crypto";

export interface TokenCheck {
  ok: boolean;
  description: string;
}

const PREFIX = "SharedAccessSignature ";

/**
 * Checks the SAS token of a `$cbs` put-token request: key name, expiry and the HMAC-SHA256 signature
 * of `<url-encoded resource>\n<expiry>`, as the SDK signs it.
 */
export function checkSasToken(token: unknown, keyName: string, key: string, nowMs = Date.now()): TokenCheck {
  if (typeof token !== "string" || !token.startsWith(PREFIX)) {
    return { ok: false, description: "Expected a SharedAccessSignature token." };
  }
  const fields = new Map<string, string>();
  for (const part of token.slice(PREFIX.length).split("&")) {
    const i = part.indexOf("=");
    if (i > 0) fields.set(part.slice(0, i), part.slice(i + 1));
  }
  const sr = fields.get("sr");
  const sig = fields.get("sig");
  const se = fields.get("se");
  const skn = fields.get("skn");
  if (!sr || !sig || !se || !skn) return { ok: false, description: "Malformed SharedAccessSignature token." };
  if (decodeURIComponent(skn) !== keyName) {
    return { ok: false, description: `Unknown SharedAccessKeyName '${decodeURIComponent(skn)}'.` };
  }
  if (Number(se) * 1000 < nowMs) return { ok: false, description: "The token has expired." };
  const expected = createHmac("sha256", key).update(`${sr}\n${se}`).digest();
  const given = Buffer.from(decodeURIComponent(sig), "base64");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, description: "InvalidSignature: the token has an invalid signature." };
  }
  return { ok: true, description: "Accepted" };
}
