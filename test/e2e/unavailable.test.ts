// When storage cannot be reached, callers are told to come back later (503 with Retry-After), as the
// contract says, instead of getting a 500 that reads like a bug.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAzurite, startAzurite } from "../../local/azurite.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let azurite: RunningAzurite | undefined;
let app: TestApp;

beforeAll(async () => {
  // An Azurite of this file's own, so that stopping it leaves the other tests' storage alone.
  azurite = await startAzurite({ port: 0, inMemory: true });
  app = await startTestApp({ env: { TABLES_CONNECTION: azurite.connectionString }, triggers: false });
});
afterAll(async () => {
  await app?.close();
  await azurite?.stop();
});

describe("while storage is unreachable", () => {
  it("answers 503 ServiceUnavailable with Retry-After, and health names storage as down", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    await azurite?.stop();
    azurite = undefined;

    const read = await t.call("GET", `/api/users/${user.id}`);
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ code: "ServiceUnavailable", status: 503 });
    expect(read.body.detail).toMatch(/storage/i);
    expect(Number(read.headers.get("retry-after"))).toBeGreaterThan(0);

    const health = await app.call("GET", "/api/health");
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: "degraded", storage: "down" });
    expect(Number(health.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
