// The verifier remembers tokens it has verified, but never past their expiry and never for other bytes.
import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTokenVerifier, type TokenVerifier } from "../../shared/auth/token-verifier.js";
import { ProblemError } from "../../shared/domain/problem.js";

const issuer = "https://issuer.test/";
const audience = "api://test";
let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
let verify: TokenVerifier;

beforeAll(async () => {
  const keys = await generateKeyPair("ES256");
  privateKey = keys.privateKey;
  verify = createTokenVerifier({ issuer, audience, publicKeyPem: await exportSPKI(keys.publicKey) });
});
afterEach(() => {
  vi.useRealTimers();
});

const token = (tenantId: string, expiresIn: string) =>
  new SignJWT({ tid: tenantId, oid: randomUUID(), roles: ["GlobalAdministrator"] })
    .setProtectedHeader({ alg: "ES256" })
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime(expiresIn)
    .sign(privateKey);

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => "accepted",
    (error: unknown) => (error instanceof ProblemError ? error.detail : String(error)),
  );

describe("the token verifier", () => {
  it("answers the same caller for a token it verified before", async () => {
    const tenantId = randomUUID();
    const jwt = await token(tenantId, "10m");
    const first = await verify(`Bearer ${jwt}`);
    expect(first.tenantId).toBe(tenantId);
    expect(await verify(`Bearer ${jwt}`)).toEqual(first);
  });

  it("refuses a remembered token once it has expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const jwt = await token(randomUUID(), "30s");
    expect(await refusal(verify(`Bearer ${jwt}`))).toBe("accepted");
    vi.setSystemTime(Date.now() + 2 * 60_000); // past exp and the minute of clock tolerance
    expect(await refusal(verify(`Bearer ${jwt}`))).toBe("The token has expired.");
  });

  it("does not take a remembered token's caller for a token with another signature", async () => {
    const jwt = await token(randomUUID(), "10m");
    await verify(`Bearer ${jwt}`);
    const [header, payload, signature = ""] = jwt.split(".");
    const tampered = `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    expect(await refusal(verify(`Bearer ${tampered}`))).not.toBe("accepted");
  });

  it("accepts the Bearer scheme in any case (RFC 7235)", async () => {
    const jwt = await token(randomUUID(), "10m");
    for (const scheme of ["bearer", "BEARER", "bEaReR"]) {
      expect(await refusal(verify(`${scheme} ${jwt}`))).toBe("accepted");
    }
  });

  const signed = (claims: { iat?: number; exp: number }) => {
    const jwt = new SignJWT({ tid: randomUUID(), oid: randomUUID(), roles: ["GlobalAdministrator"] })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime(claims.exp);
    return (claims.iat === undefined ? jwt : jwt.setIssuedAt(claims.iat)).sign(privateKey);
  };
  const now = () => Math.floor(Date.now() / 1000);
  const hour = 3600;

  it("refuses a token issued in the future beyond the clock skew, and takes one within it", async () => {
    const future = await signed({ iat: now() + 120, exp: now() + hour });
    expect(await refusal(verify(`Bearer ${future}`))).toMatch(/iat.*future/);
    const skewed = await signed({ iat: now() + 30, exp: now() + hour });
    expect(await refusal(verify(`Bearer ${skewed}`))).toBe("accepted");
  });

  it("refuses a token that lives more than a day after its iat, or after now without one", async () => {
    const long = await signed({ iat: now(), exp: now() + 24 * hour + 120 });
    expect(await refusal(verify(`Bearer ${long}`))).toMatch(/more than a day/);
    const noIat = await signed({ exp: now() + 25 * hour });
    expect(await refusal(verify(`Bearer ${noIat}`))).toMatch(/more than a day/);
    const day = await signed({ iat: now(), exp: now() + 24 * hour });
    expect(await refusal(verify(`Bearer ${day}`))).toBe("accepted");
    const shortNoIat = await signed({ exp: now() + hour });
    expect(await refusal(verify(`Bearer ${shortNoIat}`))).toBe("accepted");
  });
});
