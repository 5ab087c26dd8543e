// GET /api/console/config: the admin console's sign-in settings, public, from the CONSOLE_* app
// settings; without them the console keeps its pasted-token sign-in. One app at a time (the services
// are per process), each describe starting its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";

const entra = {
  CONSOLE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
  CONSOLE_AUTHORITY: "https://login.microsoftonline.com/8a3c5a41-0d52-4c3f-9d1e-5f0b7c2e9a10",
  CONSOLE_API_SCOPE: "api://license-assignment/access_as_user",
};

describe("GET /api/console/config without the CONSOLE_* settings", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ triggers: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers the pasted-token sign-in, without a token, not to be cached stale", async () => {
    const response = await app.call("GET", "/api/console/config");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ signIn: "token", retentionSeconds: 30 * 24 * 60 * 60 });
    expect(response.headers.get("cache-control")).toBe("no-cache");
  });

  it("is not a Graph route: /v1.0/console/config is not found", async () => {
    expect((await app.call("GET", "/v1.0/console/config")).status).toBe(404);
  });
});

describe("GET /api/console/config with the CONSOLE_* settings", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ triggers: false, env: entra });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("answers Entra ID's client id, authority and API scope, to anyone", async () => {
    const response = await app.call("GET", "/api/console/config");
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      signIn: "entra",
      clientId: entra.CONSOLE_CLIENT_ID,
      authority: entra.CONSOLE_AUTHORITY,
      apiScope: entra.CONSOLE_API_SCOPE,
      retentionSeconds: 30 * 24 * 60 * 60,
    });
  });
});
