// The one reader of process.env: every app setting the service understands, parsed once with zod.
// `settingDescriptions` is the single list of setting names used by the code, the Bicep check and docs/configuration.md.
import { z } from "zod";

/** How a setting must be present where the app runs in Azure (read by the template check). */
export type SettingPresence =
  | { kind: "required" } // must always be set
  | { kind: "oneOf"; group: string } // at least one setting of the group must be set
  | { kind: "optional" }; // has a default or is only needed in some setups

export interface SettingDescription {
  readonly name: string;
  readonly presence: SettingPresence;
  /** Set in Azure by infra/ (false: only meaningful for the local runner). */
  readonly azure: boolean;
  readonly description: string;
}

const nonEmpty = z.string().trim().min(1);

/** ISO 8601 duration, days/hours/minutes/seconds only (months and years have no fixed length). */
const isoDuration = z
  .string()
  .regex(
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/,
    "must be an ISO 8601 duration such as P30D or PT20S",
  )
  .refine(
    (value) => value !== "P" && !value.endsWith("T"),
    "must be an ISO 8601 duration such as P30D or PT20S",
  )
  .transform(parseIsoDurationMs)
  .refine((ms) => ms > 0, "must be longer than zero");

function parseIsoDurationMs(value: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!match) throw new Error(`not an ISO 8601 duration: ${value}`);
  const [, days, hours, minutes, seconds] = match;
  return (
    ((Number(days ?? 0) * 24 + Number(hours ?? 0)) * 60 + Number(minutes ?? 0)) * 60_000 +
    Math.round(Number(seconds ?? 0) * 1000)
  );
}

/**
 * A six-field NCRONTAB expression as the Functions host reads it ({second} {minute} {hour} {day}
 * {month} {day-of-week}). Cron libraries read five fields as minute-first and accept extensions
 * NCrontab rejects (L, W, #, ?, day-of-week 7), so both are refused here.
 */
const ncrontab = z.string().refine((value) => {
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 6) return false;
  const ranges: [number, number][] = [
    [0, 59],
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  return fields.every((field, i) => {
    const [low, high] = ranges[i] ?? [0, 0];
    return field.split(",").every((part) => {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!match) return false;
      const numbers = [match[2], match[3]].filter((n) => n !== undefined).map(Number);
      return numbers.every((n) => n >= low && n <= high) && (match[4] === undefined || Number(match[4]) > 0);
    });
  });
}, "must be a six-field NCRONTAB expression such as 0 0 2 * * * (second minute hour day month day-of-week; no L, W, #, ? or names)");

const settingsSchema = z
  .object({
    AUTH_ISSUER: nonEmpty,
    AUTH_AUDIENCE: nonEmpty,
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_PUBLIC_KEY_PEM: nonEmpty.optional(),
    AzureWebJobsStorage: nonEmpty.optional(),
    TABLES_CONNECTION: nonEmpty.optional(),
    TABLES_ENDPOINT: z.url().optional(),
    TABLES_TABLE_NAME: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,62}$/, "must be a valid Azure table name")
      .default("LicenseData"),
    SERVICEBUS_CONNECTION: nonEmpty.optional(),
    SERVICEBUS_CONNECTION__fullyQualifiedNamespace: nonEmpty.optional(),
    AZURE_CLIENT_ID: nonEmpty.optional(),
    PROVISIONING_QUEUE: nonEmpty.default("provisioning"),
    RETENTION_PERIOD: isoDuration.prefault("P30D"),
    RETENTION_SWEEP_SCHEDULE: ncrontab.default("0 0 2 * * *"),
    BULK_CHUNK_TIMEOUT: isoDuration.prefault("PT5M"),
    BULK_CHUNK_RESENDS: z.coerce.number().int().min(0).max(20).default(3),
    BULK_WATCHDOG_SCHEDULE: ncrontab.default("0 */1 * * * *"),
    PORT: z.coerce.number().int().min(1).max(65535).default(7071),
    CONSOLE_CLIENT_ID: nonEmpty.optional(),
    CONSOLE_AUTHORITY: z
      .url({
        protocol: /^https$/,
        error: "must be an https URL such as https://login.microsoftonline.com/<tenant-id>",
      })
      .optional(),
    CONSOLE_API_SCOPE: nonEmpty.optional(),
  })
  .superRefine((env, ctx) => {
    const consoleSettings = ["CONSOLE_CLIENT_ID", "CONSOLE_AUTHORITY", "CONSOLE_API_SCOPE"] as const;
    const missing = consoleSettings.filter((name) => env[name] === undefined);
    if (missing.length > 0 && missing.length < consoleSettings.length) {
      ctx.addIssue({
        code: "custom",
        path: [missing.join(", ")],
        message: `the console signs in with Microsoft Entra ID only with all of ${consoleSettings.join(", ")} set; set the missing ones or none`,
      });
    }
    if (!env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY_PEM) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_JWKS_URL"],
        message: "set AUTH_JWKS_URL (the identity provider's JWKS) or AUTH_PUBLIC_KEY_PEM (an SPKI PEM key)",
      });
    }
    if (!env.SERVICEBUS_CONNECTION && !env.SERVICEBUS_CONNECTION__fullyQualifiedNamespace) {
      ctx.addIssue({
        code: "custom",
        path: ["SERVICEBUS_CONNECTION"],
        message:
          "set SERVICEBUS_CONNECTION (a connection string) or SERVICEBUS_CONNECTION__fullyQualifiedNamespace (managed identity)",
      });
    }
    if (!env.TABLES_CONNECTION && !env.AzureWebJobsStorage && !env.TABLES_ENDPOINT) {
      ctx.addIssue({
        code: "custom",
        path: ["TABLES_CONNECTION"],
        message: "set TABLES_CONNECTION or AzureWebJobsStorage (a connection string), or TABLES_ENDPOINT",
      });
    }
  });

export const settingDescriptions: readonly SettingDescription[] = [
  {
    name: "AUTH_ISSUER",
    presence: { kind: "required" },
    azure: true,
    description: "Expected `iss` of bearer tokens.",
  },
  {
    name: "AUTH_AUDIENCE",
    presence: { kind: "required" },
    azure: true,
    description: "Expected `aud` of bearer tokens.",
  },
  {
    name: "AUTH_JWKS_URL",
    presence: { kind: "oneOf", group: "auth-key" },
    azure: true,
    description: "The identity provider's JWKS URL (production).",
  },
  {
    name: "AUTH_PUBLIC_KEY_PEM",
    presence: { kind: "oneOf", group: "auth-key" },
    azure: false,
    description: "An SPKI PEM public key, instead of a JWKS URL.",
  },
  {
    name: "AzureWebJobsStorage",
    presence: { kind: "oneOf", group: "tables" },
    azure: false,
    description: "Storage connection string; `UseDevelopmentStorage=true` for Azurite.",
  },
  {
    name: "TABLES_CONNECTION",
    presence: { kind: "oneOf", group: "tables" },
    azure: false,
    description: "Table Storage connection string; takes precedence over AzureWebJobsStorage.",
  },
  {
    name: "TABLES_ENDPOINT",
    presence: { kind: "oneOf", group: "tables" },
    azure: true,
    description: "Table service URL, used with the managed identity (no keys).",
  },
  {
    name: "TABLES_TABLE_NAME",
    presence: { kind: "optional" },
    azure: false,
    description: "Table that holds the tenants' data (default `LicenseData`).",
  },
  {
    name: "SERVICEBUS_CONNECTION",
    presence: { kind: "oneOf", group: "servicebus" },
    azure: false,
    description: "Service Bus connection string; locally the development broker's.",
  },
  {
    name: "SERVICEBUS_CONNECTION__fullyQualifiedNamespace",
    presence: { kind: "oneOf", group: "servicebus" },
    azure: true,
    description: "Service Bus namespace host name, used with the managed identity.",
  },
  {
    name: "AZURE_CLIENT_ID",
    presence: { kind: "optional" },
    azure: true,
    description: "Client id of the user-assigned managed identity.",
  },
  {
    name: "PROVISIONING_QUEUE",
    presence: { kind: "optional" },
    azure: true,
    description: "Queue that carries the provisioning events (default `provisioning`).",
  },
  {
    name: "RETENTION_PERIOD",
    presence: { kind: "optional" },
    azure: true,
    description: "ISO 8601 duration data is kept after unassignment or deletion (default `P30D`).",
  },
  {
    name: "RETENTION_SWEEP_SCHEDULE",
    presence: { kind: "optional" },
    azure: true,
    description: "Six-field NCRONTAB schedule of the retention sweep (default `0 0 2 * * *`).",
  },
  {
    name: "BULK_CHUNK_TIMEOUT",
    presence: { kind: "optional" },
    azure: true,
    description:
      "ISO 8601 duration after which a bulk chunk not finished since it was last sent or progressed is sent again (default `PT5M`).",
  },
  {
    name: "BULK_CHUNK_RESENDS",
    presence: { kind: "optional" },
    azure: true,
    description:
      "Times a stalled bulk chunk is sent again before its remaining users fail with `ChunkNotProcessed` (0–20, default 3).",
  },
  {
    name: "BULK_WATCHDOG_SCHEDULE",
    presence: { kind: "optional" },
    azure: true,
    description: "Six-field NCRONTAB schedule of the bulk watchdog (default `0 */1 * * * *`, every minute).",
  },
  {
    name: "PORT",
    presence: { kind: "optional" },
    azure: false,
    description: "Port of the local runner (default 7071).",
  },
  {
    name: "CONSOLE_CLIENT_ID",
    presence: { kind: "optional" },
    azure: true,
    description:
      "Client id of the admin console's app registration (single-page application); with the two below, the console signs in with Microsoft Entra ID, without them with a pasted token.",
  },
  {
    name: "CONSOLE_AUTHORITY",
    presence: { kind: "optional" },
    azure: true,
    description:
      "The console's sign-in authority, for example `https://login.microsoftonline.com/<tenant-id>`.",
  },
  {
    name: "CONSOLE_API_SCOPE",
    presence: { kind: "optional" },
    azure: true,
    description:
      "The scope the console asks tokens for, for example `api://license-assignment/access_as_user`.",
  },
];

export type Settings = z.output<typeof settingsSchema>;

export interface Config {
  readonly auth: {
    readonly issuer: string;
    readonly audience: string;
    readonly jwksUrl: string | undefined;
    readonly publicKeyPem: string | undefined;
  };
  readonly tables:
    | { readonly kind: "connectionString"; readonly connectionString: string; readonly tableName: string }
    | { readonly kind: "identity"; readonly endpoint: string; readonly tableName: string };
  readonly serviceBus:
    | { readonly kind: "connectionString"; readonly connectionString: string }
    | { readonly kind: "identity"; readonly fullyQualifiedNamespace: string };
  readonly managedIdentityClientId: string | undefined;
  readonly provisioningQueue: string;
  readonly retentionPeriodMs: number;
  readonly retentionSweepSchedule: string;
  readonly bulkChunkTimeoutMs: number;
  readonly bulkChunkResends: number;
  readonly bulkWatchdogSchedule: string;
  readonly port: number;
  /** The admin console's Microsoft Entra ID sign-in; undefined: it asks for a pasted token. */
  readonly consoleSignIn:
    | { readonly clientId: string; readonly authority: string; readonly apiScope: string }
    | undefined;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the given environment (process.env by default); throws a ConfigError naming each bad setting. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(
    settingDescriptions.map(({ name }) => [name, env[name] === "" ? undefined : env[name]]),
  );
  const parsed = settingsSchema.safeParse(known);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `- ${issue.path.join(".") || "settings"}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const s = parsed.data;
  const tablesConnection = s.TABLES_CONNECTION ?? s.AzureWebJobsStorage;
  return {
    auth: {
      issuer: s.AUTH_ISSUER,
      audience: s.AUTH_AUDIENCE,
      jwksUrl: s.AUTH_JWKS_URL,
      publicKeyPem: s.AUTH_PUBLIC_KEY_PEM,
    },
    tables: tablesConnection
      ? { kind: "connectionString", connectionString: tablesConnection, tableName: s.TABLES_TABLE_NAME }
      : { kind: "identity", endpoint: s.TABLES_ENDPOINT ?? "", tableName: s.TABLES_TABLE_NAME },
    serviceBus: s.SERVICEBUS_CONNECTION
      ? { kind: "connectionString", connectionString: s.SERVICEBUS_CONNECTION }
      : { kind: "identity", fullyQualifiedNamespace: s.SERVICEBUS_CONNECTION__fullyQualifiedNamespace ?? "" },
    managedIdentityClientId: s.AZURE_CLIENT_ID,
    provisioningQueue: s.PROVISIONING_QUEUE,
    retentionPeriodMs: s.RETENTION_PERIOD,
    retentionSweepSchedule: s.RETENTION_SWEEP_SCHEDULE,
    bulkChunkTimeoutMs: s.BULK_CHUNK_TIMEOUT,
    bulkChunkResends: s.BULK_CHUNK_RESENDS,
    bulkWatchdogSchedule: s.BULK_WATCHDOG_SCHEDULE,
    port: s.PORT,
    consoleSignIn:
      s.CONSOLE_CLIENT_ID && s.CONSOLE_AUTHORITY && s.CONSOLE_API_SCOPE
        ? { clientId: s.CONSOLE_CLIENT_ID, authority: s.CONSOLE_AUTHORITY, apiScope: s.CONSOLE_API_SCOPE }
        : undefined,
  };
}

/** Values of the settings that function bindings name as `%SETTING%` (queue name, timer schedule). */
export function bindingSettings(config: Config): Record<string, string> {
  return {
    PROVISIONING_QUEUE: config.provisioningQueue,
    RETENTION_SWEEP_SCHEDULE: config.retentionSweepSchedule,
    BULK_WATCHDOG_SCHEDULE: config.bulkWatchdogSchedule,
  };
}
