// Cross-checks the function app's settings in the templates with the code's configuration schema
// (settingDescriptions in shared/config.ts): what the code needs in Azure must be set, and what the
// templates set must be something the code or the platform reads.
import type { SettingDescription } from "../../shared/config.js";
import type { FileModel, ResourceModel } from "./file-model.js";
import type { Finding, FindingCode } from "./findings.js";
import { objectEntries, objectPath, objectProperty, type SyntaxNode, stringValue } from "./syntax.js";

/**
 * Settings read by the Functions host, not by the code. Exact names where a typo would silently
 * break the host (AzureWebJobsStorage__*), prefixes where the platform owns a family of names.
 */
const hostStorageSettings: ReadonlySet<string> = new Set([
  "AzureWebJobsStorage__accountName",
  "AzureWebJobsStorage__blobServiceUri",
  "AzureWebJobsStorage__clientId",
  "AzureWebJobsStorage__credential",
  "AzureWebJobsStorage__queueServiceUri",
  "AzureWebJobsStorage__tableServiceUri",
]);
const platformSettingPrefixes: readonly string[] = ["APPLICATIONINSIGHTS_", "FUNCTIONS_"];

/**
 * Identity-based connections (`<prefix>__fullyQualifiedNamespace` and the like) also take
 * `<prefix>__credential` and `<prefix>__clientId`; these are allowed for every prefix the code knows.
 */
const identityConnectionOptions = ["credential", "clientId"];
const identityConnectionTargets = [
  "accountName",
  "blobServiceUri",
  "fullyQualifiedNamespace",
  "queueServiceUri",
  "serviceUri",
  "tableServiceUri",
];

/** Settings the Flex Consumption plan rejects or ignores ("Flex Consumption plan deprecations"). */
const flexDeprecatedSettings: ReadonlySet<string> = new Set([
  "ENABLE_ORYX_BUILD",
  "FUNCTIONS_EXTENSION_VERSION",
  "FUNCTIONS_MAX_HTTP_CONCURRENCY",
  "FUNCTIONS_WORKER_PROCESS_COUNT",
  "FUNCTIONS_WORKER_RUNTIME",
  "FUNCTIONS_WORKER_RUNTIME_VERSION",
  "SCM_DO_BUILD_DURING_DEPLOYMENT",
  "TZ",
  "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
  "WEBSITE_CONTENTSHARE",
  "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
  "WEBSITE_NODE_DEFAULT_VERSION",
  "WEBSITE_RUN_FROM_PACKAGE",
  "WEBSITE_TIME_ZONE",
]);

interface AppSetting {
  readonly name: string;
  readonly value: SyntaxNode | undefined;
  readonly node: SyntaxNode;
  readonly file: string;
}

interface Located {
  readonly node: SyntaxNode;
  readonly file: string;
}

function finding(at: Located, code: FindingCode, message: string): Finding {
  return {
    file: at.file,
    line: at.node.startPosition.row + 1,
    column: at.node.startPosition.column + 1,
    code,
    message,
  };
}

const isFunctionApp = (resource: ResourceModel): boolean =>
  resource.type === "Microsoft.Web/sites" &&
  !resource.existing &&
  (stringValue(objectProperty(resource.body, "kind")) ?? "").includes("functionapp");

const isAppSettingsConfig = (resource: ResourceModel): boolean => {
  if (resource.type !== "Microsoft.Web/sites/config" || resource.existing) return false;
  const nameNode = objectProperty(resource.body, "name");
  const name = stringValue(nameNode) ?? nameNode?.text ?? "";
  // 'appsettings', or '${app.name}/appsettings' when declared without `parent`.
  return name === "appsettings" || /\/appsettings'?$/.test(name);
};

/** Every app setting of the function app(s) in the deployment, from literal objects only. */
function readAppSettings(files: readonly FileModel[]): {
  sites: Located[];
  isFlex: boolean;
  settings: AppSetting[];
  findings: Finding[];
} {
  const sites: Located[] = [];
  const settings: AppSetting[] = [];
  const findings: Finding[] = [];
  let isFlex = false;
  for (const file of files) {
    for (const resource of file.resources) {
      if (isFunctionApp(resource)) {
        sites.push({ node: resource.declaration, file: file.file });
        if (objectPath(resource.body, ["properties", "functionAppConfig"])) isFlex = true;
        const array = objectPath(resource.body, ["properties", "siteConfig", "appSettings"]);
        if (!array) continue;
        if (array.type !== "array") {
          findings.push(
            finding(
              { node: array, file: file.file },
              "app-settings-not-static",
              "siteConfig.appSettings must be an array literal",
            ),
          );
          continue;
        }
        for (const element of array.namedChildren.filter((child) => child.type === "object")) {
          const nameNode = objectProperty(element, "name");
          const name = stringValue(nameNode);
          if (name === undefined) {
            findings.push(
              finding(
                { node: nameNode ?? element, file: file.file },
                "app-settings-not-static",
                "app setting name must be a string literal",
              ),
            );
            continue;
          }
          settings.push({
            name,
            value: objectProperty(element, "value"),
            node: nameNode ?? element,
            file: file.file,
          });
        }
      } else if (isAppSettingsConfig(resource)) {
        const properties = objectProperty(resource.body, "properties");
        if (properties?.type !== "object") {
          findings.push(
            finding(
              { node: properties ?? resource.declaration, file: file.file },
              "app-settings-not-static",
              "the appsettings properties must be an object literal, so that the check can read every name",
            ),
          );
          continue;
        }
        for (const entry of objectEntries(properties)) {
          if (entry.key === undefined) {
            findings.push(
              finding(
                { node: entry.keyNode, file: file.file },
                "app-settings-not-static",
                "app setting name must be a literal",
              ),
            );
            continue;
          }
          settings.push({ name: entry.key, value: entry.value, node: entry.keyNode, file: file.file });
        }
      }
    }
  }
  return { sites, isFlex, settings, findings };
}

/**
 * The settings check. Limitation: settings of all function apps in the deployment are pooled; the
 * templates here have exactly one.
 */
export function checkAppSettings(
  files: readonly FileModel[],
  descriptions: readonly SettingDescription[],
): Finding[] {
  const { sites, isFlex, settings, findings } = readAppSettings(files);
  const [site] = sites;
  if (!site) {
    const entry = files[0];
    return entry
      ? [
          {
            file: entry.file,
            line: 1,
            column: 1,
            code: "function-app-not-found",
            message: "no Microsoft.Web/sites resource of kind functionapp in the deployment",
          },
        ]
      : [];
  }

  const byName = new Map<string, AppSetting>();
  for (const setting of settings) {
    if (byName.has(setting.name)) {
      findings.push(
        finding(setting, "duplicate-identifier", `app setting ${setting.name} is set more than once`),
      );
    }
    byName.set(setting.name, setting);
  }
  const described = new Map(descriptions.map((description) => [description.name, description]));
  // Where "missing" findings point: the first place settings are written, else the function app.
  const anchor: Located = settings[0] ?? site;

  for (const description of descriptions) {
    if (description.azure && description.presence.kind === "required" && !byName.has(description.name)) {
      findings.push(
        finding(anchor, "app-setting-missing", `${description.name} is required in Azure but not set`),
      );
    }
  }
  const groups = new Map<string, SettingDescription[]>();
  for (const description of descriptions) {
    if (description.presence.kind !== "oneOf") continue;
    const members = groups.get(description.presence.group) ?? [];
    members.push(description);
    groups.set(description.presence.group, members);
  }
  for (const [group, members] of groups) {
    const azureMembers = members.filter((member) => member.azure).map((member) => member.name);
    if (azureMembers.length === 0 || azureMembers.some((name) => byName.has(name))) continue;
    findings.push(
      finding(
        anchor,
        "app-setting-missing",
        `set one of ${azureMembers.join(", ")} (group "${group}") in Azure`,
      ),
    );
  }

  const identityPrefixes = new Set<string>();
  for (const setting of settings) {
    const { name } = setting;
    const [prefix = "", suffix] = name.split("__");
    if (suffix !== undefined && identityConnectionTargets.includes(suffix)) identityPrefixes.add(prefix);

    if (stringValue(setting.value) === "") {
      findings.push(
        finding(
          setting,
          "app-setting-empty",
          `${name} is set to an empty string (the code reads that as unset)`,
        ),
      );
    }
    if (isFlex && flexDeprecatedSettings.has(name)) {
      findings.push(
        finding(
          setting,
          "app-setting-flex-deprecated",
          `${name} must not be set on a Flex Consumption app (see functionAppConfig)`,
        ),
      );
      continue;
    }
    const description = described.get(name);
    if (description) {
      if (!description.azure) {
        findings.push(
          finding(
            setting,
            "app-setting-local-only",
            `${name} is marked azure: false in shared/config.ts (local only)`,
          ),
        );
      }
      continue;
    }
    const isIdentityOption =
      suffix !== undefined &&
      identityConnectionOptions.includes(suffix) &&
      descriptions.some((other) => other.name.startsWith(`${prefix}__`));
    const isPlatform =
      hostStorageSettings.has(name) ||
      platformSettingPrefixes.some((platformPrefix) => name.startsWith(platformPrefix));
    if (!isIdentityOption && !isPlatform) {
      findings.push(
        finding(
          setting,
          "app-setting-unknown",
          `${name} is neither in settingDescriptions nor a documented platform setting`,
        ),
      );
    }
  }

  // The app has a user-assigned identity only: every identity-based connection must say so.
  for (const prefix of identityPrefixes) {
    const credential = byName.get(`${prefix}__credential`);
    const problems: string[] = [];
    if (stringValue(credential?.value) !== "managedidentity")
      problems.push(`${prefix}__credential = 'managedidentity'`);
    if (!byName.has(`${prefix}__clientId`)) problems.push(`${prefix}__clientId`);
    if (problems.length > 0) {
      findings.push(
        finding(
          anchor,
          "identity-connection-incomplete",
          `identity-based connection ${prefix} also needs ${problems.join(" and ")}`,
        ),
      );
    }
  }
  return findings;
}
