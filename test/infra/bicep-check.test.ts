// The offline Bicep check: the real templates pass it, and deliberately broken copies of them fail it
// with the finding one would expect. Nothing here needs Azure, a network or the emulators.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkDeployment } from "../../local/bicep-check/check.js";
import type { ResourceModel } from "../../local/bicep-check/file-model.js";
import type { FindingCode } from "../../local/bicep-check/findings.js";
import { objectPath, objectProperty, type SyntaxNode, stringValue } from "../../local/bicep-check/syntax.js";
import { loadConfig, settingDescriptions } from "../../shared/config.js";

const infra = resolve(import.meta.dirname, "../../infra");
const mainBicep = join(infra, "main.bicep");

const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

type Edit = (dir: string) => void;

/** Replaces `from` (which must occur exactly once, so a stale test cannot pass by accident). */
const replace =
  (file: string, from: string, to: string): Edit =>
  (dir) => {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    expect(text.split(from), `"${from}" once in ${file}`).toHaveLength(2);
    writeFileSync(path, text.replace(from, to));
  };

const remove =
  (file: string): Edit =>
  (dir) => {
    rmSync(join(dir, file));
  };

/** Copies infra/ into a fresh temporary directory, applies the edit and checks the copy. */
function checkBrokenCopy(edit: Edit) {
  const dir = mkdtempSync(join(tmpdir(), "bicep-check-"));
  copies.push(dir);
  cpSync(infra, dir, { recursive: true });
  edit(dir);
  return checkDeployment(join(dir, "main.bicep"), { settingDescriptions });
}

function resourcesOfType(type: string): ResourceModel[] {
  const { models } = checkDeployment(mainBicep, { settingDescriptions });
  return models
    .flatMap((model) => model.resources)
    .filter((resource) => resource.type === type && !resource.existing);
}

/** The value of a literal (string, number, boolean) in a template. */
function literal(node: SyntaxNode | undefined): string | number | boolean | undefined {
  if (!node) return undefined;
  if (node.type === "number") return Number(node.text);
  if (node.type === "boolean") return node.text === "true";
  return stringValue(node);
}

describe("the Bicep templates in infra/", () => {
  it("pass the offline check with no findings", () => {
    const result = checkDeployment(mainBicep, { settingDescriptions });
    expect(result.findings).toEqual([]);
    expect(result.files.map((file) => file.slice(infra.length + 1)).sort()).toEqual([
      "main.bicep",
      "modules/function-app.bicep",
      "modules/identity.bicep",
      "modules/monitoring.bicep",
      "modules/role-assignments.bicep",
      "modules/service-bus.bicep",
      "modules/storage.bicep",
    ]);
    expect(existsSync(join(infra, "main.parameters.json"))).toBe(true);
  });

  it("create the provisioning queue with the delivery settings the consumer relies on", () => {
    const [queue, ...others] = resourcesOfType("Microsoft.ServiceBus/namespaces/queues");
    expect(others).toEqual([]);
    const read = (name: string) => literal(objectPath(queue?.body, ["properties", name]));
    expect(read("maxDeliveryCount")).toBe(10);
    expect(read("lockDuration")).toBe("PT1M");
    expect(read("requiresDuplicateDetection")).toBe(true);
    expect(read("duplicateDetectionHistoryTimeWindow")).toBe("PT10M");
    expect(read("deadLetteringOnMessageExpiration")).toBe(true);
  });

  it("run the app on Node 22 in a Flex Consumption plan", () => {
    const [plan] = resourcesOfType("Microsoft.Web/serverfarms");
    expect(literal(objectPath(plan?.body, ["sku", "tier"]))).toBe("FlexConsumption");
    const [site] = resourcesOfType("Microsoft.Web/sites");
    const runtime = objectPath(site?.body, ["properties", "functionAppConfig", "runtime"]);
    expect(literal(objectProperty(runtime, "name"))).toBe("node");
    expect(literal(objectProperty(runtime, "version"))).toBe("22");
  });

  it("issue no keys: shared keys, SAS and instrumentation-key ingestion are all disabled", () => {
    const [storage] = resourcesOfType("Microsoft.Storage/storageAccounts");
    expect(literal(objectPath(storage?.body, ["properties", "allowSharedKeyAccess"]))).toBe(false);
    const [namespace] = resourcesOfType("Microsoft.ServiceBus/namespaces");
    expect(literal(objectPath(namespace?.body, ["properties", "disableLocalAuth"]))).toBe(true);
    const [insights] = resourcesOfType("Microsoft.Insights/components");
    expect(literal(objectPath(insights?.body, ["properties", "DisableLocalAuth"]))).toBe(true);
  });

  it("name every role assignment guid(scope, principal, role)", () => {
    const assignments = resourcesOfType("Microsoft.Authorization/roleAssignments");
    expect(assignments.length).toBeGreaterThan(0);
    for (const assignment of assignments) {
      const name = objectProperty(assignment.body, "name");
      expect(name?.type).toBe("call_expression");
      expect(name?.childForFieldName("function")?.text).toBe("guid");
      expect(name?.childForFieldName("arguments")?.namedChildren).toHaveLength(3);
    }
  });

  it("grant the identity only the five data-plane roles it needs", () => {
    const text = readFileSync(join(infra, "modules/role-assignments.bicep"), "utf8");
    const roleIds = new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g));
    expect(roleIds).toEqual(
      new Set([
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
        "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", // Azure Service Bus Data Sender
        "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", // Azure Service Bus Data Receiver
        "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
      ]),
    );
    expect(resourcesOfType("Microsoft.Authorization/roleAssignments")).toHaveLength(5);
  });

  it("keep the table name and setting defaults the code accepts", () => {
    const main = readFileSync(mainBicep, "utf8");
    const value = (pattern: RegExp) => pattern.exec(main)?.[1];
    const identityEnv = {
      AUTH_ISSUER: "https://issuer.example",
      AUTH_AUDIENCE: "api://audience",
      AUTH_JWKS_URL: "https://issuer.example/keys",
      TABLES_ENDPOINT: "https://st.table.core.windows.net/",
      SERVICEBUS_CONNECTION__fullyQualifiedNamespace: "sb-example.servicebus.windows.net",
    };
    // TABLES_TABLE_NAME is not set in Azure, so the table the template creates must be the default.
    expect(value(/^var tableName = '([^']+)'$/m)).toBe(loadConfig(identityEnv).tables.tableName);
    const config = loadConfig({
      ...identityEnv,
      RETENTION_PERIOD: value(/^param retentionPeriod string = '([^']+)'$/m),
      RETENTION_SWEEP_SCHEDULE: value(/^param retentionSweepSchedule string = '([^']+)'$/m),
      BULK_CHUNK_TIMEOUT: value(/^param bulkChunkTimeout string = '([^']+)'$/m),
      BULK_CHUNK_RESENDS: value(/^param bulkChunkResends int = (\d+)$/m),
      BULK_WATCHDOG_SCHEDULE: value(/^param bulkWatchdogSchedule string = '([^']+)'$/m),
    });
    expect(config.retentionPeriodMs).toBe(30 * 24 * 60 * 60 * 1000);
    expect(config.retentionSweepSchedule).toBe("0 0 2 * * *");
    expect(config).toMatchObject({
      bulkChunkTimeoutMs: 5 * 60_000,
      bulkChunkResends: 3,
      bulkWatchdogSchedule: "0 */1 * * * *",
    });
  });
});

describe("the console's Entra ID sign-in in the templates", () => {
  const consoleSettings = {
    CONSOLE_CLIENT_ID: "consoleClientId",
    CONSOLE_AUTHORITY: "consoleAuthority",
    CONSOLE_API_SCOPE: "consoleApiScope",
  } as const;

  it("sets CONSOLE_CLIENT_ID, CONSOLE_AUTHORITY and CONSOLE_API_SCOPE from parameters passed down from main.bicep", () => {
    const [settings, ...others] = resourcesOfType("Microsoft.Web/sites/config");
    expect(others).toEqual([]);
    const main = readFileSync(mainBicep, "utf8");
    for (const [setting, param] of Object.entries(consoleSettings)) {
      expect(objectPath(settings?.body, ["properties", setting])?.text, setting).toBe(param);
      expect(main, param).toContain(`    ${param}: ${param}\n`);
    }
  });

  it("defaults all three to empty, which the code reads as the pasted-token sign-in, and any values as Entra ID", () => {
    const main = readFileSync(mainBicep, "utf8");
    const defaults = Object.fromEntries(
      Object.entries(consoleSettings).map(([setting, param]) => [
        setting,
        new RegExp(`^param ${param} string = '([^']*)'$`, "m").exec(main)?.[1],
      ]),
    );
    expect(Object.values(defaults)).toEqual(["", "", ""]);
    const identityEnv = {
      AUTH_ISSUER: "https://issuer.example",
      AUTH_AUDIENCE: "api://audience",
      AUTH_JWKS_URL: "https://issuer.example/keys",
      TABLES_ENDPOINT: "https://st.table.core.windows.net/",
      SERVICEBUS_CONNECTION__fullyQualifiedNamespace: "sb-example.servicebus.windows.net",
    };
    expect(loadConfig({ ...identityEnv, ...defaults }).consoleSignIn).toBeUndefined();
    expect(
      loadConfig({
        ...identityEnv,
        CONSOLE_CLIENT_ID: "11111111-2222-3333-4444-555555555555",
        CONSOLE_AUTHORITY: "https://login.microsoftonline.com/8a3c5a41-0d52-4c3f-9d1e-5f0b7c2e9a10",
        CONSOLE_API_SCOPE: "api://license-assignment/access_as_user",
      }).consoleSignIn?.clientId,
    ).toBe("11111111-2222-3333-4444-555555555555");
  });

  it("output the redirect URI the console's MSAL uses, for the app registration", () => {
    const main = readFileSync(mainBicep, "utf8");
    // Bicep's interpolation, not JavaScript's.
    const output = ["output consoleRedirectUri string = '$", "{functionApp.outputs.url}/auth/redirect'"];
    expect(main).toContain(output.join(""));
  });
});

describe("the offline check fails a broken copy of the templates", () => {
  const cases: ReadonlyArray<{ name: string; edit: Edit; code: FindingCode; message: string }> = [
    {
      name: "a reference to an undeclared parameter",
      edit: replace("main.bicep", "authAudience: authAudience", "authAudience: authAudiance"),
      code: "undeclared-identifier",
      message: "`authAudiance` is not declared",
    },
    {
      name: "a reference to an undeclared variable",
      edit: replace("main.bicep", "tableName: tableName", "tableName: tablesName"),
      code: "undeclared-identifier",
      message: "`tablesName` is not declared",
    },
    {
      name: "a missing module file",
      edit: remove("modules/identity.bicep"),
      code: "module-not-found",
      message: "module file 'modules/identity.bicep' does not exist",
    },
    {
      name: "a module call without a required parameter",
      edit: replace("main.bicep", "    queueName: provisioningQueueName\n", ""),
      code: "module-param-missing",
      message: "module `serviceBus` does not pass required param `queueName`",
    },
    {
      name: "a module call with an unknown parameter",
      edit: replace(
        "main.bicep",
        "    tableName: tableName\n",
        "    tableName: tableName\n    tableSku: 'premium'\n",
      ),
      code: "module-param-unknown",
      message: "has no param `tableSku`",
    },
    {
      name: "an output naming an output the module does not declare",
      edit: replace("main.bicep", "= functionApp.outputs.url", "= functionApp.outputs.uri"),
      code: "module-output-unknown",
      message: "'modules/function-app.bicep' has no output `uri`",
    },
    {
      name: "a syntax error",
      edit: replace(
        "modules/storage.bicep",
        "    publicAccess: 'None'\n  }\n}",
        "    publicAccess: 'None'\n  }\n",
      ),
      code: "syntax-error",
      message: "",
    },
    {
      name: "an unknown resource type",
      edit: replace(
        "modules/monitoring.bicep",
        "'Microsoft.OperationalInsights/workspaces@2023-09-01' = {",
        "'Microsoft.OperationalInsight/workspaces@2023-09-01' = {",
      ),
      code: "resource-type-unknown",
      message: "'Microsoft.OperationalInsight/workspaces' is not in the allow-list",
    },
    {
      name: "an API version that is not in the allow-list",
      edit: replace(
        "modules/function-app.bicep",
        "'Microsoft.Web/sites@2024-04-01' = {",
        "'Microsoft.Web/sites@2016-08-01' = {",
      ),
      code: "resource-type-unknown",
      message: "'Microsoft.Web/sites@2016-08-01'",
    },
    {
      name: "a removed app setting the code requires",
      edit: replace("modules/function-app.bicep", "    AUTH_AUDIENCE: authAudience\n", ""),
      code: "app-setting-missing",
      message: "AUTH_AUDIENCE is required in Azure but not set",
    },
    {
      name: "no setting of a group the code needs one of",
      edit: replace(
        "modules/function-app.bicep",
        "    TABLES_ENDPOINT: storageAccount.properties.primaryEndpoints.table\n",
        "",
      ),
      code: "app-setting-missing",
      message: "set one of TABLES_ENDPOINT",
    },
    {
      name: "an app setting the code does not know",
      edit: replace("modules/function-app.bicep", "    PROVISIONING_QUEUE:", "    PROVISIONING_QUEUE_NAME:"),
      code: "app-setting-unknown",
      message: "PROVISIONING_QUEUE_NAME is neither in settingDescriptions",
    },
    {
      name: "a storage connection string meant for local runs",
      edit: replace(
        "modules/function-app.bicep",
        "    AZURE_CLIENT_ID:",
        "    AzureWebJobsStorage: 'UseDevelopmentStorage=true'\n    AZURE_CLIENT_ID:",
      ),
      code: "app-setting-local-only",
      message: "AzureWebJobsStorage is marked azure: false",
    },
    {
      name: "a setting the Flex Consumption plan rejects",
      edit: replace(
        "modules/function-app.bicep",
        "    AZURE_CLIENT_ID:",
        "    FUNCTIONS_WORKER_RUNTIME: 'node'\n    AZURE_CLIENT_ID:",
      ),
      code: "app-setting-flex-deprecated",
      message: "FUNCTIONS_WORKER_RUNTIME must not be set",
    },
    {
      name: "an identity-based connection without the identity's client id",
      edit: replace(
        "modules/function-app.bicep",
        "    SERVICEBUS_CONNECTION__clientId: identityClientId\n",
        "",
      ),
      code: "identity-connection-incomplete",
      message: "SERVICEBUS_CONNECTION also needs SERVICEBUS_CONNECTION__clientId",
    },
    {
      name: "a module from a registry, which cannot be read offline",
      edit: replace(
        "main.bicep",
        "'modules/identity.bicep'",
        "'br/public:avm/res/managed-identity/user-assigned-identity:0.4.1'",
      ),
      code: "module-from-registry",
      message: "cannot be read offline",
    },
    {
      name: "a parameters file without a required parameter",
      edit: replace("main.parameters.json", '"authAudience"', '"authAudiences"'),
      code: "parameters-file-param-missing",
      message: "required param `authAudience` is not given",
    },
    {
      name: "a key missing from abbreviations.json",
      edit: replace("main.bicep", "abbrs.serviceBusNamespaces", "abbrs.serviceBusNamespace"),
      code: "json-key-unknown",
      message: "no key `serviceBusNamespace`",
    },
    {
      name: "a parameter without a description",
      edit: replace(
        "modules/storage.bicep",
        "@description('Required. Table that holds",
        "// ('Required. Table that holds",
      ),
      code: "missing-description",
      message: "param `tableName` has no @description",
    },
    {
      name: "a console setting the code does not know",
      edit: replace("modules/function-app.bicep", "    CONSOLE_API_SCOPE:", "    CONSOLE_SCOPE:"),
      code: "app-setting-unknown",
      message: "CONSOLE_SCOPE is neither in settingDescriptions",
    },
  ];

  it.each(cases)("reports $name ($code)", ({ edit, code, message }) => {
    const { findings } = checkBrokenCopy(edit);
    expect(findings).toContainEqual(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });
});
