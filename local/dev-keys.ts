// The local development signing key: made once, kept under .local/ (git-ignored), used by
// `npm start` to verify and by `npm run token` to sign.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

export const devKeyFile = ".local/dev-signing-key.json";
export const devIssuer = "https://license-service.local/dev-issuer";
export const devAudience = "api://license-assignment-service";
const algorithm = "RS256";

interface StoredKey {
  readonly privateJwk: JWK;
  readonly publicKeyPem: string;
}

export async function loadOrCreateDevKey(file = devKeyFile): Promise<StoredKey> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as StoredKey;
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const stored: StoredKey = {
    privateJwk: await exportJWK(privateKey),
    publicKeyPem: await exportSPKI(publicKey),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return stored;
}

export interface TokenClaims {
  readonly tenantId: string;
  readonly roles: readonly string[];
  readonly objectId: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Lifetime, e.g. "1h". */
  readonly expiresIn?: string;
}

export async function signDevToken(privateJwk: JWK, claims: TokenClaims): Promise<string> {
  const key = await importJWK(privateJwk, algorithm);
  return new SignJWT({ tid: claims.tenantId, oid: claims.objectId, roles: [...claims.roles] })
    .setProtectedHeader({ alg: algorithm, typ: "JWT" })
    .setIssuer(claims.issuer ?? devIssuer)
    .setAudience(claims.audience ?? devAudience)
    .setSubject(claims.objectId)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? "1h")
    .sign(key);
}
