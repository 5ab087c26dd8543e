// Verifies bearer tokens with jose (docs/api.md, "Behaviour worth knowing"): signature from a JWKS URL or a PEM key, with
// the algorithm pinned to the key type when the verifier is built, never `none`, never HS*. A
// verified token is remembered until it expires.
import { createPublicKey, type KeyObject } from "node:crypto";
import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import type { Actor } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { isRole, type Role } from "../domain/roles.js";

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl?: string | undefined;
  readonly publicKeyPem?: string | undefined;
}

export type TokenVerifier = (authorization: string | null) => Promise<Actor>;

const asymmetricAlgorithms = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
];
/** How many verified tokens a process remembers. */
const maxVerifiedTokens = 1_000;
const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function algorithmsFor(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case "rsa":
      return ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
    case "rsa-pss":
      return ["PS256", "PS384", "PS512"];
    case "ec":
      return ["ES256", "ES384", "ES512"];
    case "ed25519":
      return ["EdDSA"];
    default:
      throw new Error(`AUTH_PUBLIC_KEY_PEM holds an unsupported key type: ${key.asymmetricKeyType}`);
  }
}

const unauthorized = (detail: string): ProblemError =>
  new ProblemError("Unauthorized", detail, undefined, {
    "WWW-Authenticate": `Bearer realm="api", error="invalid_token"`,
  });

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The token has expired.";
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not accepted.`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's signing algorithm is not accepted.";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  if (error instanceof errors.JWKSNoMatchingKey) return "The token was not signed by a known key.";
  return "The token is not valid.";
}

/** The longest life a token may claim: identity providers issue them for an hour or so. */
const maxLifetimeSeconds = 24 * 60 * 60;

/**
 * jose checks `exp` and `nbf`, but not an `iat` in the future (unless a maximum age is set) nor
 * an `exp` years away: a token like that comes from a wrong clock or a forger's hand, not an
 * identity provider, and would stay valid (and remembered) for as long as it says.
 */
function checkLifetime(payload: JWTPayload, nowSeconds: number, toleranceSeconds: number): void {
  const { iat, exp = 0 } = payload;
  if (iat !== undefined && iat > nowSeconds + toleranceSeconds) {
    throw unauthorized(
      `The token's iat claim lies ${Math.round(iat - nowSeconds)} s in the future; check the issuer's clock.`,
    );
  }
  const lifetime = iat === undefined ? exp - nowSeconds - toleranceSeconds : exp - iat;
  if (lifetime > maxLifetimeSeconds) {
    throw unauthorized(
      `The token is valid for more than a day (its exp lies ${Math.round((exp - (iat ?? nowSeconds)) / 3600)} h ` +
        `after ${iat === undefined ? "now" : "its iat"}); ask the identity provider for a token of at most 24 h.`,
    );
  }
}

function actorFrom(payload: JWTPayload): Actor {
  const tenantId = payload.tid;
  if (typeof tenantId !== "string" || !guidPattern.test(tenantId)) {
    throw unauthorized("The token has no valid tenant (tid) claim.");
  }
  const objectId = typeof payload.oid === "string" ? payload.oid : payload.sub;
  if (typeof objectId !== "string" || objectId === "") {
    throw unauthorized("The token names no caller (oid or sub claim).");
  }
  const claimed = Array.isArray(payload.roles) ? payload.roles : [];
  const roles = claimed.filter((role): role is Role => typeof role === "string" && isRole(role));
  return { tenantId: tenantId.toLowerCase(), objectId, roles };
}

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  let key: KeyObject | JWTVerifyGetKey;
  let algorithms: string[];
  if (options.publicKeyPem) {
    const publicKey = createPublicKey(options.publicKeyPem);
    key = publicKey;
    algorithms = algorithmsFor(publicKey);
  } else if (options.jwksUrl) {
    // Built once per process, so the key cache survives between invocations.
    key = createRemoteJWKSet(new URL(options.jwksUrl));
    algorithms = [...asymmetricAlgorithms, "EdDSA"];
  } else {
    throw new Error("token verification needs AUTH_JWKS_URL or AUTH_PUBLIC_KEY_PEM");
  }

  // Tokens already verified, with the caller they name, until they expire: a script sends the same
  // token with each of its calls, and its signature need not be checked each time. Keyed by the
  // whole token, so only the very bytes that were verified hit; bounded, the least recently used
  // dropped first. An entry lives until the token's exp (plus the clock tolerance); a hit is also
  // checked against the wall clock, which exp is read against (the TTL runs on a monotonic clock).
  const clockToleranceMs = 60_000;
  const verified = new LRUCache<string, { readonly actor: Actor; readonly expiresAtMs: number }>({
    max: maxVerifiedTokens,
  });

  return async (authorization) => {
    // RFC 7235: the scheme is case-insensitive.
    const match = authorization?.match(/^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i);
    const token = match?.[1];
    if (!token) throw unauthorized("Send an Authorization: Bearer <token> header.");
    const known = verified.get(token);
    if (known && Date.now() < known.expiresAtMs + clockToleranceMs) return known.actor;
    if (known) verified.delete(token);
    try {
      const verifyOptions = {
        issuer: options.issuer,
        audience: options.audience,
        algorithms,
        clockTolerance: clockToleranceMs / 1000,
        requiredClaims: ["exp"],
      };
      const { payload } =
        typeof key === "function"
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      checkLifetime(payload, Date.now() / 1000, clockToleranceMs / 1000);
      const actor = actorFrom(payload);
      const expiresAtMs = (payload.exp ?? 0) * 1000;
      const ttl = expiresAtMs + clockToleranceMs - Date.now();
      // A ttl of 0 would mean "forever" to lru-cache; jose has just refused an expired token anyway.
      if (ttl > 0) verified.set(token, { actor, expiresAtMs }, { ttl: Math.ceil(ttl) });
      return actor;
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      throw unauthorized(describe(error));
    }
  };
}
