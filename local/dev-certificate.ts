// The local development TLS certificate, as `func start --useHttps` makes one: self-signed for
// localhost, 127.0.0.1 and ::1, made on first use with selfsigned and kept under .local/dev-tls
// (git-ignored), then reused on every start until it is about to expire. Clients trust it with
// NODE_EXTRA_CA_CERTS=<certPath> (Node), or by importing it into the system's store.
import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { generate } from "selfsigned";
import { defaultCertificateDir } from "./defaults.js";

const validDays = 365;
/** A certificate that expires sooner than this is made anew. */
const renewBeforeMs = 24 * 60 * 60 * 1000;

export interface DevCertificate {
  /** PEM of the private key and of the certificate. */
  readonly key: string;
  readonly cert: string;
  /** Absolute path of the certificate's PEM file, for NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
  /** Whether this call made it (false: an earlier one's was reused). */
  readonly created: boolean;
}

function read(dir: string): Omit<DevCertificate, "created"> | undefined {
  try {
    const certPath = resolve(dir, "cert.pem");
    const cert = readFileSync(certPath, "utf8");
    const key = readFileSync(join(dir, "key.pem"), "utf8");
    if (Date.parse(new X509Certificate(cert).validTo) - Date.now() < renewBeforeMs) return undefined;
    return { key, cert, certPath };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * The certificate in `dir`, made there first if it is missing or about to expire. Two processes
 * starting at once agree on one: each writes a complete folder of its own and renames it to `dir`,
 * which only the first can do; the others read the winner's.
 */
export async function loadOrCreateDevCertificate(dir = defaultCertificateDir): Promise<DevCertificate> {
  const existing = read(dir);
  if (existing) return { ...existing, created: false };
  const now = new Date();
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    algorithm: "sha256",
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + validDays * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const candidate = mkdtempSync(`${resolve(dir)}.tmp-`);
  writeFileSync(join(candidate, "key.pem"), pems.private, { mode: 0o600 });
  writeFileSync(join(candidate, "cert.pem"), pems.cert);
  try {
    // An expiring certificate's folder makes way first (only when there is one: a missing folder
    // may be another process's about to land).
    if (existsSync(join(dir, "cert.pem")) && read(dir) === undefined) rmSync(dir, { recursive: true });
    renameSync(candidate, dir);
    return { key: pems.private, cert: pems.cert, certPath: resolve(dir, "cert.pem"), created: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const winner = code === "EEXIST" || code === "ENOTEMPTY" ? read(dir) : undefined;
    if (!winner) throw error;
    return { ...winner, created: false };
  } finally {
    rmSync(candidate, { recursive: true, force: true });
  }
}
