// The local host over TLS (`npm start -- --https`, and `https` for in-process apps), with the
// development certificate made on first use and reused; and the real Graph SDK, which sends its
// token only over https, against it.
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const scratch = mkdtempSync(join(tmpdir(), "https-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** GET over TLS trusting only `ca` (none: the default roots); the status and the served certificate. */
function getOverTls(url: string, ca?: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsGet(url, { ...(ca ? { ca } : {}), agent: false }, (response) => {
      const fingerprint = (response.socket as TLSSocket).getPeerCertificate().fingerprint256;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, fingerprint }));
    });
    request.on("error", reject);
  });
}

describe("the local host over https", () => {
  it("serves TLS that a client trusting the development certificate accepts, and others refuse", async () => {
    const dir = join(scratch, "first");
    const app = await startTestApp({ triggers: false, https: { certificateDir: dir } });
    try {
      expect(app.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(app.certPath).toBe(join(dir, "cert.pem"));
      const ca = readFileSync(join(dir, "cert.pem"), "utf8");
      expect((await getOverTls(`${app.url}/api/health`, ca)).status).toBe(200);
      expect(
        (await getOverTls(`${app.url.replace("127.0.0.1", "localhost")}/v1.0/subscribedSkus`, ca)).status,
      ).toBe(401);
      await expect(getOverTls(`${app.url}/api/health`)).rejects.toMatchObject({
        code: "DEPTH_ZERO_SELF_SIGNED_CERT",
      });
    } finally {
      await app.close();
    }
  });

  it("makes the certificate on first use and reuses it on the next start", async () => {
    const dir = join(scratch, "reuse");
    const fingerprints: string[] = [];
    for (let start = 0; start < 2; start++) {
      const app = await startTestApp({ triggers: false, https: { certificateDir: dir } });
      try {
        const ca = readFileSync(join(dir, "cert.pem"), "utf8");
        fingerprints.push((await getOverTls(`${app.url}/api/health`, ca)).fingerprint);
      } finally {
        await app.close();
      }
    }
    expect(fingerprints[0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(fingerprints[1]).toBe(fingerprints[0]);
    expect(statSync(join(dir, "key.pem")).mode & 0o077).toBe(0);
  });
});

describe("the Graph JavaScript SDK against the service over https", () => {
  let app: TestApp;
  beforeAll(async () => {
    // The certificate the global setup made, which this process trusts (NODE_EXTRA_CA_CERTS).
    app = await startTestApp({ triggers: false, https: true });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("GETs /users with its default version, customHosts and a token", async () => {
    const tenant = await newTenant(app);
    const user = await tenant.user();
    const { host, hostname } = new URL(app.url);
    const client = Client.init({
      authProvider: (done) => done(null, tenant.admin),
      baseUrl: `https://${host}`,
      customHosts: new Set([hostname]),
    });
    const users = (await client.api("/users").get()) as { value: { id: string }[] };
    expect(users.value.map((listed) => listed.id)).toEqual([user.id]);
  });
});
