// The Functions host's entry point (functions/main.ts) parses the configuration when it loads, so a
// missing or invalid setting stops the host with its name instead of a 500 on every request. Run
// under tsx in a child process; outside the host @azure/functions runs in "test mode".
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";

const validSettings = {
  AUTH_ISSUER: "https://issuer.test/",
  AUTH_AUDIENCE: "api://license-service-test",
  AUTH_JWKS_URL: "https://issuer.test/keys",
  TABLES_CONNECTION: "UseDevelopmentStorage=true",
  SERVICEBUS_CONNECTION:
    "Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;",
};

function loadEntryPoint(settings: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "functions/main.ts"],
      { env: { PATH: process.env.PATH ?? "", ...settings }, timeout: 60_000 },
      (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stderr });
      },
    );
  });
}

describe.concurrent("the Functions host entry point", () => {
  it("stops with a non-zero exit naming a missing required setting", async () => {
    const { AUTH_ISSUER: _, ...withoutIssuer } = validSettings;
    const { code, stderr } = await loadEntryPoint(withoutIssuer);
    expect(code).not.toBe(0);
    expect(stderr).toContain("AUTH_ISSUER");
  }, 60_000);

  it("stops naming an invalid setting", async () => {
    const { code, stderr } = await loadEntryPoint({ ...validSettings, RETENTION_PERIOD: "30 days" });
    expect(code).not.toBe(0);
    expect(stderr).toContain("RETENTION_PERIOD");
    expect(stderr).toContain("ISO 8601");
  }, 60_000);

  it("loads with a valid configuration", async () => {
    const { code, stderr } = await loadEntryPoint(validSettings);
    expect(stderr).not.toContain("Invalid configuration");
    expect(code).toBe(0);
  }, 60_000);
});
