// The local development signing key: made once, kept under .local/ (git-ignored), used by
// `npm start` to verify and by `npm run token` to sign.
import { randomUUID } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { exportJWK, exportSPKI, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";

const devKeyFile = ".local/dev-signing-key.json";
export const devIssuer = "https://license-service.local/dev-issuer";
export const devAudience = "api://license-assignment-service";
const algorithm = "RS256";

interface StoredKey {
  readonly privateJwk: JWK;
  readonly publicKeyPem: string;
}

function readKey(file: string): StoredKey | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Several processes may make the key at once (two `npm start` in a fresh clone): each writes its
 * key to a file of its own, then links it to the key file's name, which only the first can do
 * (the link is atomic and fails if the name exists). The others read the winner's key, complete
 * since it was written before it got its name.
 */
export async function loadOrCreateDevKey(file = devKeyFile): Promise<StoredKey> {
  const existing = readKey(file);
  if (existing) return existing;
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const stored: StoredKey = {
    privateJwk: await exportJWK(privateKey),
    publicKeyPem: await exportSPKI(publicKey),
  };
  mkdirSync(dirname(file), { recursive: true });
  const candidate = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(candidate, JSON.stringify(stored, null, 2), { mode: 0o600 });
  try {
    linkSync(candidate, file);
    return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readKey(file);
    if (!winner) throw error;
    return winner;
  } finally {
    rmSync(candidate, { force: true });
  }
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
