// Input that must be refused with a 4xx that says why, and answers that must not surprise: malformed
// continuation tokens, ill-formed text, bulk requests assignLicense would refuse, bodies of routes
// that take none, bearer schemes in any case, outcomes that tell "changed" from "already so", and
// seats an administrator can really assign.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("malformed skipTokens", () => {
  it("answers 400 ValidationFailed, never 500, for every malformed users skipToken", async () => {
    const t = await newTenant(app);
    await t.user();
    const tokens = [
      // JSON escapes of lone surrogates: the SDK's encodeURIComponent throws URIError on them.
      base64('{"nextPartitionKey":"\\ud800","nextRowKey":"x"}'),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"user|\\udc00"}`),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"user|\\u0000"}`),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"us\u00e9r"}`),
      base64("null"),
      base64("[]"),
      base64('{"nextPartitionKey":1,"nextRowKey":"x"}'),
      "not base64 at all!",
      "%00",
    ];
    for (const token of tokens) {
      const response = await t.call("GET", `/api/users?skipToken=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(400);
      expect(response.body.code, token).toBe("ValidationFailed");
      expect(response.body.detail, token).toMatch(/skipToken/);
    }
  });

  it("answers 400 for a jobs skipToken that is not a nextLink's", async () => {
    const t = await newTenant(app);
    for (const token of ["x", "-1", "1e3", "\u0000", "1234567"]) {
      const response = await t.call(
        "GET",
        `/api/jobs/${randomUUID()}?skipToken=${encodeURIComponent(token)}`,
      );
      expect(response.status, token).toBe(400);
      expect(response.body.code, token).toBe("ValidationFailed");
    }
  });
});

describe("ill-formed text", () => {
  it("refuses a userPrincipalName with NUL, control characters, lone surrogates or no alias@domain shape", async () => {
    const t = await newTenant(app);
    const upns = [
      "a\u0000b@contoso.example",
      "a\u0007b@contoso.example",
      "\ud800@contoso.example",
      "\udc00@contoso.example",
      "n\u00efna@contoso.example",
      "nina.@contoso.example",
      "nina@contoso..example",
      "nina@contoso.example\u0085",
    ];
    for (const userPrincipalName of upns) {
      const response = await t.call("POST", "/api/users", { userPrincipalName, displayName: "Nina" });
      expect(response.status, JSON.stringify(userPrincipalName)).toBe(400);
      expect(response.body.code).toBe("ValidationFailed");
      expect(response.body.errors).toEqual([
        { path: "userPrincipalName", message: expect.stringMatching(/alias@domain/) },
      ]);
    }
    // Graph's own characters remain allowed.
    const allowed = await t.call("POST", "/api/users", {
      userPrincipalName: "o'brien_2.x-y!#^~@mail.contoso-1.example",
      displayName: "O'Brien",
    });
    expect(allowed.status).toBe(201);
  });

  it("refuses a displayName or deviceName with NUL, control characters or lone surrogates", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    for (const displayName of ["Nina\u0000", "Nina\u0007", "\ud800Nina", "Nina\udfff", "a\u009fb"]) {
      const label = JSON.stringify(displayName);
      const created = await t.call("POST", "/api/users", {
        userPrincipalName: `n${randomUUID().slice(0, 8)}@contoso.example`,
        displayName,
      });
      expect(created.status, label).toBe(400);
      expect(created.body.errors, label).toEqual([
        { path: "displayName", message: expect.stringMatching(/control characters|Unicode/) },
      ]);
      const patched = await t.call("PATCH", `/api/users/${user.id}`, { displayName });
      expect(patched.status, label).toBe(400);
      const install = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
        deviceName: displayName,
        platform: "Windows",
      });
      expect(install.status, label).toBe(400);
      expect(install.body.errors, label).toEqual([
        { path: "deviceName", message: expect.stringMatching(/control characters|Unicode/) },
      ]);
    }
    // Emoji (surrogate pairs) and other scripts are well-formed text.
    const named = await t.call("PATCH", `/api/users/${user.id}`, {
      displayName: "Ni\u00f1a \ud83d\ude80 \u5f20",
    });
    expect(named.status).toBe(200);
  });

  it("refuses a JSON body that is not valid UTF-8", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const response = await fetch(`${app.url}/api/users/${user.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${t.admin}`, "content-type": "application/json" },
      body: Buffer.concat([Buffer.from('{"displayName":"N'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/UTF-8/);
  });
});
