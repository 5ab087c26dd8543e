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
