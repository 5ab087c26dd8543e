// The offline check of a Bicep deployment: the entry template, every module it reaches, its
// parameters file, and the function app's settings against the code's configuration schema.
// It is not the Bicep compiler: see "What has been checked" in docs/deployment.md for what it does and
// does not catch.
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { SettingDescription } from "../../shared/config.js";
import { checkAppSettings } from "./app-settings.js";
import { type FileModel, type ModuleModel, readFileModel } from "./file-model.js";
import type { Finding, FindingCode } from "./findings.js";
import { objectEntries, objectProperty, type SyntaxNode } from "./syntax.js";

export interface CheckOptions {
  /** The code's settings; when given, the function app's settings are cross-checked with them. */
  readonly settingDescriptions?: readonly SettingDescription[];
  /**
   * An ARM parameters file for the entry template. Default: `<entry>.parameters.json` next to the
   * entry template when it exists; `false` skips it.
   */
  readonly parametersFile?: string | false | undefined;
}

export interface CheckResult {
  /** Every template read (entry first), absolute paths. */
  readonly files: readonly string[];
  readonly models: readonly FileModel[];
  readonly findings: readonly Finding[];
}

const at = (file: string, node: SyntaxNode, code: FindingCode, message: string): Finding => ({
  file,
  line: node.startPosition.row + 1,
  column: node.startPosition.column + 1,
  code,
  message,
});

const isRegistryPath = (path: string): boolean => /^(br|ts)[:/]/.test(path);

export function checkDeployment(entryFile: string, options: CheckOptions = {}): CheckResult {
  const entry = resolve(entryFile);
  const models = new Map<string, FileModel>();
  const findings: Finding[] = [];

  const load = (file: string): FileModel => {
    const known = models.get(file);
    if (known) return known;
    const model = readFileModel(file);
    models.set(file, model);
    findings.push(...model.findings);
    for (const module of model.modules) checkModule(model, module);
    return model;
  };

  const checkModule = (caller: FileModel, module: ModuleModel): void => {
    const nameNode = module.declaration.namedChildren[0] ?? module.declaration;
    if (module.path === undefined) {
      findings.push(
        at(
          caller.file,
          module.pathNode ?? nameNode,
          "module-not-found",
          "module path must be a string literal",
        ),
      );
      return;
    }
    if (isRegistryPath(module.path)) {
      findings.push(
        at(
          caller.file,
          module.pathNode ?? nameNode,
          "module-from-registry",
          `'${module.path}' cannot be read offline; use a local module`,
        ),
      );
      return;
    }
    const target = resolve(dirname(caller.file), module.path);
    if (!existsSync(target)) {
      findings.push(
        at(
          caller.file,
          module.pathNode ?? nameNode,
          "module-not-found",
          `module file '${module.path}' does not exist`,
        ),
      );
      return;
    }
    const callee = load(target);

    const params = objectProperty(module.body, "params");
    const passed = new Map<string, SyntaxNode>();
    if (params && params.type !== "object") {
      findings.push(
        at(caller.file, params, "module-params-not-literal", "module params must be an object literal"),
      );
    } else if (params) {
      for (const entry of objectEntries(params)) {
        if (entry.key === undefined) {
          findings.push(
            at(
              caller.file,
              entry.keyNode,
              "module-params-not-literal",
              "module param names must be literals",
            ),
          );
        } else {
          passed.set(entry.key, entry.keyNode);
        }
      }
    }
    for (const param of callee.params.values()) {
      if (param.required && !passed.has(param.name)) {
        findings.push(
          at(
            caller.file,
            nameNode,
            "module-param-missing",
            `module \`${module.symbol}\` does not pass required param \`${param.name}\``,
          ),
        );
      }
    }
    for (const [name, keyNode] of passed) {
      if (!callee.params.has(name)) {
        findings.push(
          at(caller.file, keyNode, "module-param-unknown", `'${module.path}' has no param \`${name}\``),
        );
      }
    }
    for (const reference of caller.moduleOutputReferences) {
      if (reference.module !== module.symbol || callee.outputs.has(reference.output)) continue;
      findings.push(
        at(
          caller.file,
          reference.node,
          "module-output-unknown",
          `'${module.path}' has no output \`${reference.output}\``,
        ),
      );
    }
  };

  const entryModel = load(entry);
  const files = [...models.values()];

  const parametersFile =
    options.parametersFile === undefined
      ? join(dirname(entry), `${basename(entry, ".bicep")}.parameters.json`)
      : options.parametersFile;
  if (parametersFile !== false && (options.parametersFile !== undefined || existsSync(parametersFile))) {
    findings.push(...checkParametersFile(resolve(parametersFile), entryModel));
  }
  if (options.settingDescriptions) findings.push(...checkAppSettings(files, options.settingDescriptions));

  // Entry template first, then modules in the order they were reached; by position within a file.
  const order = new Map(files.map((model, index) => [model.file, index]));
  const rank = (finding: Finding): number => order.get(finding.file) ?? files.length;
  findings.sort((a, b) => rank(a) - rank(b) || a.line - b.line || a.column - b.column);
  return { files: files.map((model) => model.file), models: files, findings };
}

/** An ARM deployment parameters file: every required param given, no unknown ones. */
function checkParametersFile(file: string, template: FileModel): Finding[] {
  const findings: Finding[] = [];
  let text = "";
  const fail = (code: FindingCode, message: string, name?: string): void => {
    const lines = text.split("\n");
    const index = name === undefined ? -1 : lines.findIndex((line) => line.includes(`"${name}"`));
    findings.push({
      file,
      line: index + 1 || 1,
      column: index >= 0 ? (lines[index]?.indexOf(`"${name}"`) ?? 0) + 1 : 1,
      code,
      message,
    });
  };
  let parameters: object;
  try {
    text = readFileSync(file, "utf8");
    const json: unknown = JSON.parse(text);
    const value: unknown =
      json && typeof json === "object" && "parameters" in json ? json.parameters : undefined;
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      fail("parameters-file-invalid", "expected an object with a `parameters` object");
      return findings;
    }
    parameters = value;
  } catch (error) {
    fail("parameters-file-invalid", error instanceof Error ? error.message : String(error));
    return findings;
  }
  for (const name of Object.keys(parameters)) {
    if (!template.params.has(name)) {
      fail("parameters-file-param-unknown", `${basename(template.file)} has no param \`${name}\``, name);
    }
  }
  for (const param of template.params.values()) {
    if (param.required && !(param.name in parameters)) {
      fail("parameters-file-param-missing", `required param \`${param.name}\` is not given`);
    }
  }
  return findings;
}
