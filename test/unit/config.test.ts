// loadConfig: the app settings the service understands, their defaults and the errors for bad ones.
import { describe, expect, it } from "vitest";
import { type Config, ConfigError, loadConfig, settingDescriptions } from "../../shared/config.js";

type Env = Record<string, string | undefined>;

const auth: Env = {
  AUTH_ISSUER: "https://login.example/issuer",
  AUTH_AUDIENCE: "api://license-service",
  AUTH_PUBLIC_KEY_PEM: "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----",
};
const storage: Env = { TABLES_CONNECTION: "UseDevelopmentStorage=true" };
const queue: Env = {
  SERVICEBUS_CONNECTION:
    "Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true;",
};

/** A minimal valid environment with some settings replaced or removed (undefined). */
const env = (overrides: Env = {}): Env => ({ ...auth, ...storage, ...queue, ...overrides });

function configError(settings: Env): ConfigError {
  try {
    loadConfig(settings);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration loaded");
}

describe("required settings", () => {
  it("refuses a missing AUTH_ISSUER with a ConfigError naming it", () => {
    const error = configError(env({ AUTH_ISSUER: undefined }));
    expect(error.name).toBe("ConfigError");
    expect(error.message).toContain("AUTH_ISSUER");
    expect(error.message).not.toContain("AUTH_AUDIENCE");
  });

  it("treats an empty or blank setting as missing", () => {
    expect(configError(env({ AUTH_AUDIENCE: "" })).message).toContain("AUTH_AUDIENCE");
    expect(configError(env({ AUTH_AUDIENCE: "   " })).message).toContain("AUTH_AUDIENCE");
  });

  it("names both AUTH_JWKS_URL and AUTH_PUBLIC_KEY_PEM when neither is set", () => {
    const error = configError(env({ AUTH_PUBLIC_KEY_PEM: undefined }));
    expect(error.message).toContain("AUTH_JWKS_URL");
    expect(error.message).toContain("AUTH_PUBLIC_KEY_PEM");
  });

  it("refuses a configuration without any storage setting, naming the choices", () => {
    const error = configError(env({ TABLES_CONNECTION: undefined }));
    expect(error.message).toContain("TABLES_CONNECTION");
    expect(error.message).toContain("AzureWebJobsStorage");
    expect(error.message).toContain("TABLES_ENDPOINT");
  });

  it("reports every bad setting at once", () => {
    const error = configError(env({ AUTH_ISSUER: undefined, PORT: "not-a-port" }));
    expect(error.message).toContain("AUTH_ISSUER");
    expect(error.message).toContain("PORT");
  });
});

describe("defaults", () => {
  it("fills in the queue, retention period, sweep schedule, table name and port", () => {
    const config = loadConfig(env());
    expect(config.provisioningQueue).toBe("provisioning");
    expect(config.retentionPeriodMs).toBe(30 * 24 * 60 * 60 * 1000);
    expect(config.retentionSweepSchedule).toBe("0 0 2 * * *");
    expect(config.port).toBe(7071);
    expect(config.tables.tableName).toBe("LicenseData");
    expect(config.serviceBus.kind).toBe("connectionString");
    expect(config.managedIdentityClientId).toBeUndefined();
  });

  it("passes the auth settings through", () => {
    expect(loadConfig(env({ AUTH_JWKS_URL: "https://login.example/keys" })).auth).toEqual({
      issuer: auth.AUTH_ISSUER,
      audience: auth.AUTH_AUDIENCE,
      jwksUrl: "https://login.example/keys",
      publicKeyPem: auth.AUTH_PUBLIC_KEY_PEM,
    });
  });
});

describe("RETENTION_PERIOD", () => {
  it.each([
    ["PT20S", 20_000],
    ["P30D", 2_592_000_000],
    ["PT1H30M", 5_400_000],
    ["P1DT1S", 86_401_000],
    ["PT0.5S", 500],
  ])("reads %s as %d ms", (value, ms) => {
    expect(loadConfig(env({ RETENTION_PERIOD: value })).retentionPeriodMs).toBe(ms);
  });

  it.each(["P", "PT", "P1DT", "30 days", "P1M", "P1Y", "PT0S", "-P1D", "p30d"])("rejects %j", (value) => {
    expect(configError(env({ RETENTION_PERIOD: value })).message).toContain("RETENTION_PERIOD");
  });
});

describe("formats of other settings", () => {
  it.each(["0", "65536", "80.5", "http"])("rejects PORT %j", (value) => {
    expect(configError(env({ PORT: value })).message).toContain("PORT");
  });

  it("reads PORT as a number", () => {
    expect(loadConfig(env({ PORT: "8080" })).port).toBe(8080);
  });

  it.each(["1table", "ab", "with-dash"])("rejects the table name %j", (value) => {
    expect(configError(env({ TABLES_TABLE_NAME: value })).message).toContain("TABLES_TABLE_NAME");
  });

  it("rejects an AUTH_JWKS_URL or TABLES_ENDPOINT that is not a URL", () => {
    expect(configError(env({ AUTH_JWKS_URL: "login.example/keys" })).message).toContain("AUTH_JWKS_URL");
    expect(configError(env({ TABLES_ENDPOINT: "account.table" })).message).toContain("TABLES_ENDPOINT");
  });
});

describe("storage and Service Bus", () => {
  it("uses identity-based storage when only TABLES_ENDPOINT is set", () => {
    const config = loadConfig(
      env({ TABLES_CONNECTION: undefined, TABLES_ENDPOINT: "https://account.table.core.windows.net" }),
    );
    expect(config.tables).toEqual({
      kind: "identity",
      endpoint: "https://account.table.core.windows.net",
      tableName: "LicenseData",
    });
  });

  it("prefers TABLES_CONNECTION over AzureWebJobsStorage, and either over TABLES_ENDPOINT", () => {
    const config = loadConfig(
      env({
        TABLES_CONNECTION: "tables-connection",
        AzureWebJobsStorage: "webjobs-connection",
        TABLES_ENDPOINT: "https://account.table.core.windows.net",
      }),
    );
    expect(config.tables).toEqual({
      kind: "connectionString",
      connectionString: "tables-connection",
      tableName: "LicenseData",
    });
    const webJobs = loadConfig(
      env({ TABLES_CONNECTION: undefined, AzureWebJobsStorage: "webjobs-connection" }),
    );
    expect(webJobs.tables).toMatchObject({
      kind: "connectionString",
      connectionString: "webjobs-connection",
    });
  });

  it("uses identity-based Service Bus when only the fully qualified namespace is set", () => {
    const config = loadConfig(
      env({
        SERVICEBUS_CONNECTION: undefined,
        SERVICEBUS_CONNECTION__fullyQualifiedNamespace: "contoso.servicebus.windows.net",
      }),
    );
    expect(config.serviceBus).toEqual({
      kind: "identity",
      fullyQualifiedNamespace: "contoso.servicebus.windows.net",
    });
  });

  it("prefers a Service Bus connection string over the namespace", () => {
    const config = loadConfig(
      env({
        SERVICEBUS_CONNECTION: "Endpoint=sb://localhost/;SharedAccessKeyName=k;SharedAccessKey=v",
        SERVICEBUS_CONNECTION__fullyQualifiedNamespace: "contoso.servicebus.windows.net",
      }),
    );
    expect(config.serviceBus.kind).toBe("connectionString");
  });
});

describe("settingDescriptions", () => {
  type Outcome = Config | string;
  const outcome = (settings: Env): Outcome => {
    try {
      return loadConfig(settings);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
  };

  // For each setting: an environment, and a value whose presence must change what loadConfig gives.
  const probes: Record<string, { context: Env; value: string }> = {
    AUTH_ISSUER: { context: env(), value: "https://other.example/issuer" },
    AUTH_AUDIENCE: { context: env(), value: "api://other" },
    AUTH_JWKS_URL: { context: env(), value: "https://login.example/keys" },
    AUTH_PUBLIC_KEY_PEM: { context: env({ AUTH_PUBLIC_KEY_PEM: undefined }), value: "PEM" },
    AzureWebJobsStorage: {
      context: env({ TABLES_CONNECTION: undefined }),
      value: "UseDevelopmentStorage=true",
    },
    TABLES_CONNECTION: {
      context: env({ TABLES_CONNECTION: undefined, AzureWebJobsStorage: "webjobs" }),
      value: "tables",
    },
    TABLES_ENDPOINT: {
      context: env({ TABLES_CONNECTION: undefined }),
      value: "https://account.table.core.windows.net",
    },
    TABLES_TABLE_NAME: { context: env(), value: "OtherTable" },
    SERVICEBUS_CONNECTION: { context: env(), value: "Endpoint=sb://localhost/" },
    SERVICEBUS_CONNECTION__fullyQualifiedNamespace: {
      context: env({ SERVICEBUS_CONNECTION: undefined }),
      value: "ns.servicebus.windows.net",
    },
    AZURE_CLIENT_ID: { context: env(), value: "7d0c3b4e-0c8a-4a5e-9d2b-4f6a8e1c2b3d" },
    PROVISIONING_QUEUE: { context: env(), value: "other-queue" },
    RETENTION_PERIOD: { context: env(), value: "PT20S" },
    RETENTION_SWEEP_SCHEDULE: { context: env(), value: "0 */5 * * * *" },
    BULK_CHUNK_TIMEOUT: { context: env(), value: "PT10M" },
    BULK_CHUNK_RESENDS: { context: env(), value: "5" },
    BULK_WATCHDOG_SCHEDULE: { context: env(), value: "0 */5 * * * *" },
    PORT: { context: env(), value: "8080" },
    CONSOLE_CLIENT_ID: {
      context: env({ CONSOLE_AUTHORITY: "https://login.example/t", CONSOLE_API_SCOPE: "api://x/s" }),
      value: "client",
    },
    CONSOLE_AUTHORITY: {
      context: env({ CONSOLE_CLIENT_ID: "client", CONSOLE_API_SCOPE: "api://x/s" }),
      value: "https://login.example/t",
    },
    CONSOLE_API_SCOPE: {
      context: env({ CONSOLE_CLIENT_ID: "client", CONSOLE_AUTHORITY: "https://login.example/t" }),
      value: "api://x/s",
    },
  };

  it("names each setting once", () => {
    const names = settingDescriptions.map(({ name }) => name);
    expect(new Set(names).size).toBe(names.length);
  });

  it("lists exactly the settings that loadConfig reads", () => {
    expect(settingDescriptions.map(({ name }) => name).sort()).toEqual(Object.keys(probes).sort());
    for (const { name } of settingDescriptions) {
      const probe = probes[name];
      if (!probe) throw new Error(`no probe for ${name}`);
      const without = outcome({ ...probe.context, [name]: undefined });
      const withValue = outcome({ ...probe.context, [name]: probe.value });
      expect(withValue, `${name} changes the configuration`).not.toEqual(without);
    }
  });

  it("ignores environment variables it does not describe", () => {
    expect(loadConfig({ ...env(), AUTH_ISSUERX: "x", RETENTION: "nonsense", port: "1" })).toEqual(
      loadConfig(env()),
    );
  });

  it("marks exactly AUTH_ISSUER and AUTH_AUDIENCE as required, and each fails the configuration when missing", () => {
    const required = settingDescriptions
      .filter(({ presence }) => presence.kind === "required")
      .map(({ name }) => name);
    expect(required.sort()).toEqual(["AUTH_AUDIENCE", "AUTH_ISSUER"]);
    for (const name of required) expect(configError(env({ [name]: undefined })).message).toContain(name);
  });

  it("fails the configuration when every setting of the auth-key or tables group is missing", () => {
    for (const group of ["auth-key", "tables"]) {
      const members = settingDescriptions.filter(
        ({ presence }) => presence.kind === "oneOf" && presence.group === group,
      );
      expect(members.length, group).toBeGreaterThan(1);
      const cleared = Object.fromEntries(members.map(({ name }) => [name, undefined]));
      configError(env(cleared));
      for (const member of members) {
        const probe = probes[member.name];
        if (!probe) throw new Error(`no probe for ${member.name}`);
        expect(() => loadConfig(env({ ...cleared, [member.name]: probe.value })), member.name).not.toThrow();
      }
    }
  });
});

describe("RETENTION_SWEEP_SCHEDULE", () => {
  it.each([["0 0 2 * * *"], ["*/20 * * * * *"], ["0 30 1-5 1,15 * 1-5"]])(
    "accepts the six-field NCRONTAB expression %s",
    (schedule) => {
      expect(loadConfig(env({ RETENTION_SWEEP_SCHEDULE: schedule })).retentionSweepSchedule).toBe(schedule);
    },
  );

  it.each([
    ["0 2 * * *", "five fields would be read minute-first"],
    ["0 0 2 L * *", "L is not NCrontab"],
    ["0 0 2 ? * *", "? is not NCrontab"],
    ["0 0 2 * * 7", "day-of-week 7 is not NCrontab"],
    ["0 0 2 * * MON#1", "# and names are not NCrontab"],
    ["0 60 2 * * *", "minute 60 is out of range"],
  ])("refuses %s (%s)", (schedule) => {
    expect(configError(env({ RETENTION_SWEEP_SCHEDULE: schedule })).message).toContain(
      "RETENTION_SWEEP_SCHEDULE",
    );
  });
});

describe("the bulk watchdog's settings", () => {
  it("default to a 5-minute bound, 3 resends and a run every minute", () => {
    const config = loadConfig(env());
    expect(config.bulkChunkTimeoutMs).toBe(5 * 60_000);
    expect(config.bulkChunkResends).toBe(3);
    expect(config.bulkWatchdogSchedule).toBe("0 */1 * * * *");
  });

  it.each([
    ["BULK_CHUNK_TIMEOUT", "5 minutes"],
    ["BULK_CHUNK_RESENDS", "-1"],
    ["BULK_CHUNK_RESENDS", "21"],
    ["BULK_CHUNK_RESENDS", "two"],
    ["BULK_WATCHDOG_SCHEDULE", "*/1 * * * *"],
  ])("refuses %s=%j", (name, value) => {
    expect(configError(env({ [name]: value })).message).toContain(name);
  });
});

describe("the console's Microsoft Entra ID sign-in settings", () => {
  const entra: Env = {
    CONSOLE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
    CONSOLE_AUTHORITY: "https://login.microsoftonline.com/8a3c5a41-0d52-4c3f-9d1e-5f0b7c2e9a10",
    CONSOLE_API_SCOPE: "api://license-assignment/access_as_user",
  };

  it("are off without the settings: the console asks for a pasted token", () => {
    expect(loadConfig(env()).consoleSignIn).toBeUndefined();
  });

  it("are read when all three are set", () => {
    expect(loadConfig(env(entra)).consoleSignIn).toEqual({
      clientId: entra.CONSOLE_CLIENT_ID,
      authority: entra.CONSOLE_AUTHORITY,
      apiScope: entra.CONSOLE_API_SCOPE,
    });
  });

  it("refuse one or two of the three, naming the missing ones", () => {
    const error = configError(env({ ...entra, CONSOLE_API_SCOPE: undefined, CONSOLE_AUTHORITY: "" }));
    expect(error.message).toContain("CONSOLE_AUTHORITY, CONSOLE_API_SCOPE");
    expect(error.message).not.toMatch(/- CONSOLE_CLIENT_ID/);
  });

  it("refuse an authority that is not https", () => {
    const error = configError(env({ ...entra, CONSOLE_AUTHORITY: "http://login.example/tenant" }));
    expect(error.message).toContain("CONSOLE_AUTHORITY: must be an https URL");
  });
});
