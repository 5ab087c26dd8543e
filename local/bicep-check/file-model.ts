// Reads one Bicep file: its declarations (params, outputs, resources, modules) and the findings that
// need nothing but the file itself: syntax errors, undeclared, duplicate and unused names, unknown
// functions and decorators, missing descriptions, resource types, parents and loaded files.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { builtInDecorators, builtInFunctions, builtInNamespaces, fileLoadingFunctions } from "./built-ins.js";
import type { Finding, FindingCode } from "./findings.js";
import { allowedResourceTypes } from "./resource-types.js";
import {
  declarationBody,
  hasDecorator,
  objectProperty,
  parseBicep,
  type SyntaxNode,
  stringValue,
  syntaxProblems,
} from "./syntax.js";

type SymbolKind = "param" | "var" | "resource" | "module" | "func" | "type" | "import" | "local";

interface BicepSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly nameNode: SyntaxNode;
  used: boolean;
  /** Resources: the resources declared inside this one (reachable as `parent::child`). */
  readonly nested: Map<string, BicepSymbol>;
  /** Variables set to `loadJsonContent('<file>')`: the keys of that JSON object. */
  jsonKeys: ReadonlySet<string> | undefined;
}

export interface ParamModel {
  readonly name: string;
  /** No default value and not nullable: a module call must pass it. */
  readonly required: boolean;
  readonly declaration: SyntaxNode;
  readonly defaultValue: SyntaxNode | undefined;
}

export interface ResourceModel {
  readonly symbol: string;
  readonly declaration: SyntaxNode;
  /** Full type without the API version, e.g. `Microsoft.Web/sites/config`; undefined if not a literal. */
  readonly type: string | undefined;
  readonly apiVersion: string | undefined;
  readonly existing: boolean;
  readonly body: SyntaxNode | undefined;
  /** The resource this one is declared inside, if any. */
  readonly enclosing: ResourceModel | undefined;
}

export interface ModuleModel {
  readonly symbol: string;
  readonly declaration: SyntaxNode;
  readonly pathNode: SyntaxNode | undefined;
  readonly path: string | undefined;
  readonly body: SyntaxNode | undefined;
}

export interface ModuleOutputReference {
  readonly module: string;
  readonly output: string;
  readonly node: SyntaxNode;
}

export interface FileModel {
  readonly file: string;
  readonly params: ReadonlyMap<string, ParamModel>;
  readonly outputs: ReadonlySet<string>;
  readonly resources: readonly ResourceModel[];
  readonly modules: readonly ModuleModel[];
  readonly moduleOutputReferences: readonly ModuleOutputReference[];
  readonly findings: readonly Finding[];
}

const trivia = new Set(["comment", "diagnostic_comment"]);

/** Named children without comments. */
function parts(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((child) => !trivia.has(child.type));
}

class Scope {
  readonly symbols = new Map<string, BicepSymbol>();
  constructor(readonly parent: Scope | undefined) {}

  lookup(name: string): BicepSymbol | undefined {
    return this.symbols.get(name) ?? this.parent?.lookup(name);
  }
}

export function readFileModel(file: string): FileModel {
  return analyzeFile(file, readFileSync(file, "utf8"));
}

function analyzeFile(file: string, source: string): FileModel {
  const root = parseBicep(source);
  const findings: Finding[] = [];
  const report = (node: SyntaxNode, code: FindingCode, message: string): void => {
    findings.push({
      file,
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      code,
      message,
    });
  };
  for (const problem of syntaxProblems(root)) report(problem.node, "syntax-error", problem.message);

  const fileScope = new Scope(undefined);
  const outputs = new Set<string>();
  const params = new Map<string, ParamModel>();
  const resources: ResourceModel[] = [];
  const modules: ModuleModel[] = [];
  const moduleOutputReferences: ModuleOutputReference[] = [];
  // Nested resource declarations, by start offset, so that the walk can bring them into scope.
  const nestedSymbols = new Map<number, BicepSymbol>();

  const newSymbol = (name: string, kind: SymbolKind, nameNode: SyntaxNode): BicepSymbol => ({
    name,
    kind,
    nameNode,
    used: false,
    nested: new Map(),
    jsonKeys: undefined,
  });

  const declare = (scope: Scope | Map<string, BicepSymbol>, symbol: BicepSymbol): void => {
    const table = scope instanceof Scope ? scope.symbols : scope;
    if (table.has(symbol.name)) {
      report(symbol.nameNode, "duplicate-identifier", `\`${symbol.name}\` is declared more than once`);
      return;
    }
    table.set(symbol.name, symbol);
  };

  const resolvePath = (path: string): string => resolve(dirname(file), path);

  // --- Pass 1: declarations (Bicep declarations are visible before their text position). ---

  const collectResource = (
    declaration: SyntaxNode,
    enclosing: ResourceModel | undefined,
  ): BicepSymbol | undefined => {
    const [nameNode, typeNode] = parts(declaration);
    if (nameNode?.type !== "identifier") return undefined;
    const rawType = stringValue(typeNode);
    let type: string | undefined;
    let apiVersion: string | undefined;
    if (rawType === undefined) {
      report(
        typeNode ?? declaration,
        "resource-type-not-literal",
        `resource \`${nameNode.text}\`: type must be a string literal`,
      );
    } else {
      const [typePart = "", version] = rawType.split("@");
      const isRelative = enclosing !== undefined && !typePart.includes("/");
      type = isRelative && enclosing?.type ? `${enclosing.type}/${typePart}` : typePart;
      apiVersion = version ?? (isRelative ? enclosing?.apiVersion : undefined);
    }
    const model: ResourceModel = {
      symbol: nameNode.text,
      declaration,
      type,
      apiVersion,
      existing: declaration.children.some((child) => child.type === "existing"),
      body: declarationBody(declaration),
      enclosing,
    };
    resources.push(model);
    const symbol = newSymbol(nameNode.text, "resource", nameNode);
    for (const property of model.body ? parts(model.body) : []) {
      const nested = property.type === "object_property" ? parts(property)[0] : undefined;
      if (nested?.type !== "resource_declaration") continue;
      const nestedSymbol = collectResource(nested, model);
      if (!nestedSymbol) continue;
      declare(symbol.nested, nestedSymbol);
      nestedSymbols.set(nested.startIndex, nestedSymbol);
    }
    return symbol;
  };

  const jsonKeysOf = (value: SyntaxNode | undefined): ReadonlySet<string> | undefined => {
    if (value?.type !== "call_expression") return undefined;
    if (value.childForFieldName("function")?.text !== "loadJsonContent") return undefined;
    const path = stringValue(parts(value.childForFieldName("arguments") ?? value)[0]);
    if (path === undefined || !existsSync(resolvePath(path))) return undefined;
    try {
      const json: unknown = JSON.parse(readFileSync(resolvePath(path), "utf8"));
      return json && typeof json === "object" && !Array.isArray(json)
        ? new Set(Object.keys(json))
        : undefined;
    } catch {
      return undefined;
    }
  };

  for (const statement of parts(root)) {
    const [nameNode, second, third] = parts(statement);
    switch (statement.type) {
      case "parameter_declaration":
        if (!nameNode || !second) break;
        declare(fileScope, newSymbol(nameNode.text, "param", nameNode));
        params.set(nameNode.text, {
          name: nameNode.text,
          required: third === undefined && second.namedChildren[0]?.type !== "nullable_type",
          declaration: statement,
          defaultValue: third,
        });
        if (!hasDecorator(statement, "description")) {
          report(nameNode, "missing-description", `param \`${nameNode.text}\` has no @description`);
        }
        break;
      case "variable_declaration":
        if (!nameNode) break;
        {
          const symbol = newSymbol(nameNode.text, "var", nameNode);
          symbol.jsonKeys = jsonKeysOf(second);
          declare(fileScope, symbol);
        }
        break;
      case "resource_declaration": {
        const symbol = collectResource(statement, undefined);
        if (symbol) declare(fileScope, symbol);
        break;
      }
      case "module_declaration":
        if (!nameNode) break;
        declare(fileScope, newSymbol(nameNode.text, "module", nameNode));
        modules.push({
          symbol: nameNode.text,
          declaration: statement,
          pathNode: second,
          path: stringValue(second),
          body: declarationBody(statement),
        });
        break;
      case "output_declaration":
        if (!nameNode) break;
        if (outputs.has(nameNode.text)) {
          report(nameNode, "duplicate-identifier", `output \`${nameNode.text}\` is declared more than once`);
        }
        outputs.add(nameNode.text);
        break;
      case "user_defined_function": {
        const name = statement.childForFieldName("name");
        if (name) declare(fileScope, newSymbol(name.text, "func", name));
        break;
      }
      case "type_declaration":
        if (nameNode) declare(fileScope, newSymbol(nameNode.text, "type", nameNode));
        break;
      case "import_functionality":
      case "import_statement":
      case "import_with_statement":
        // `import {a, b as c} from '...'`, `import * as ns from '...'`, `import 'az@1' as az`:
        // the local names are the identifiers that are not followed by `as`.
        for (const identifier of parts(statement).filter((child) => child.type === "identifier")) {
          if (identifier.nextSibling?.type === "as") continue;
          declare(fileScope, newSymbol(identifier.text, "import", identifier));
        }
        if (statement.type === "import_functionality") {
          const pathNode = parts(statement).find((child) => child.type === "string");
          const path = stringValue(pathNode);
          if (
            pathNode &&
            path !== undefined &&
            !/^(br|ts)[:/]/.test(path) &&
            !existsSync(resolvePath(path))
          ) {
            report(pathNode, "load-file-missing", `import: file '${path}' does not exist`);
          }
        }
        break;
      default:
        break;
    }
  }

  // --- Pass 2: every reference, in its scope. ---

  type Mode = "value" | "type";

  const checkLoadedFile = (name: string, args: SyntaxNode | null): void => {
    if (!fileLoadingFunctions.has(name) || !args) return;
    const pathNode = parts(args)[0];
    const path = stringValue(pathNode);
    if (pathNode && path !== undefined && !existsSync(resolvePath(path))) {
      report(pathNode, "load-file-missing", `${name}: file '${path}' does not exist`);
    }
  };

  const visitCall = (node: SyntaxNode, scope: Scope, isDecorator: boolean): void => {
    const fn = node.childForFieldName("function");
    const args = node.childForFieldName("arguments");
    const allowed = isDecorator ? builtInDecorators : builtInFunctions;
    const what = isDecorator ? "decorator" : "function";
    const code: FindingCode = isDecorator ? "unknown-decorator" : "unknown-function";
    if (fn?.type === "identifier") {
      const symbol = scope.lookup(fn.text);
      if (symbol && !isDecorator && (symbol.kind === "func" || symbol.kind === "import")) {
        symbol.used = true;
      } else if (!allowed.has(fn.text)) {
        report(fn, code, `unknown ${what} \`${fn.text}\``);
      }
      checkLoadedFile(fn.text, args);
    } else if (fn?.type === "member_expression") {
      const namespace = fn.childForFieldName("object");
      const property = fn.childForFieldName("property");
      if (
        namespace?.type === "identifier" &&
        builtInNamespaces.has(namespace.text) &&
        !scope.lookup(namespace.text)
      ) {
        if (property && !allowed.has(property.text)) {
          report(property, code, `unknown ${what} \`${namespace.text}.${property.text}\``);
        }
        if (property) checkLoadedFile(property.text, args);
      } else {
        // A resource's method (`storage.listKeys()`, `vault.getSecret()`): check the receiver only.
        visit(fn, scope, "value");
      }
    } else if (fn) {
      visit(fn, scope, "value");
    }
    if (args) visit(args, scope, "value");
  };

  /** `m.outputs.x`, `m[0].outputs.x`, `m.outputs['x']`: records the output a module must declare. */
  const recordModuleOutput = (
    outputsNode: SyntaxNode | null,
    output: string | undefined,
    node: SyntaxNode,
    scope: Scope,
  ): void => {
    if (output === undefined || outputsNode?.type !== "member_expression") return;
    if (outputsNode.childForFieldName("property")?.text !== "outputs") return;
    let base = outputsNode.childForFieldName("object");
    if (base?.type === "subscript_expression") base = base.childForFieldName("object");
    if (base?.type !== "identifier") return;
    if (scope.lookup(base.text)?.kind !== "module") return;
    moduleOutputReferences.push({ module: base.text, output, node });
  };

  const visitObject = (node: SyntaxNode, outer: Scope, mode: Mode): void => {
    // A resource body: the resources declared in it are in scope inside it.
    const nested = parts(node)
      .map((property) => (property.type === "object_property" ? parts(property)[0] : undefined))
      .filter((child): child is SyntaxNode => child?.type === "resource_declaration");
    let scope = outer;
    if (nested.length > 0) {
      scope = new Scope(outer);
      for (const declaration of nested) {
        const symbol = nestedSymbols.get(declaration.startIndex);
        if (symbol) scope.symbols.set(symbol.name, symbol);
      }
    }
    for (const child of parts(node)) {
      if (child.type !== "object_property") {
        visit(child, scope, mode);
        continue;
      }
      const [key, value] = parts(child);
      if (!key) continue;
      if (key.type === "resource_declaration") {
        visit(key, scope, "value");
        continue;
      }
      // Keys are names, except interpolated string keys such as '${identityId}'.
      if (key.type === "string") visit(key, scope, "value");
      if (value) visit(value, scope, mode);
    }
  };

  const visitFor = (node: SyntaxNode, outer: Scope): void => {
    let iterable: SyntaxNode | undefined;
    let afterIn = false;
    for (const child of node.children) {
      if (child.type === "in") afterIn = true;
      else if (afterIn && child.isNamed && !trivia.has(child.type)) {
        iterable = child;
        break;
      }
    }
    if (iterable) visit(iterable, outer, "value");
    const scope = new Scope(outer);
    const initializer = node.childForFieldName("initializer");
    if (initializer) declare(scope, newSymbol(initializer.text, "local", initializer));
    const loopParameters = parts(node).find((child) => child.type === "for_loop_parameters");
    for (const parameter of loopParameters ? parts(loopParameters) : []) {
      declare(scope, newSymbol(parameter.text, "local", parameter));
    }
    const body = node.childForFieldName("body");
    if (body) visit(body, scope, "value");
  };

  const visitLambda = (node: SyntaxNode, outer: Scope): void => {
    const [parameters, body] = parts(node);
    const scope = new Scope(outer);
    const names =
      parameters?.type === "parenthesized_expression" ? parts(parameters) : parameters ? [parameters] : [];
    for (const name of names) {
      if (name.type === "identifier") declare(scope, newSymbol(name.text, "local", name));
      else report(name, "syntax-error", "lambda parameters must be names");
    }
    if (body) visit(body, scope, "value");
  };

  const visitFunction = (node: SyntaxNode, outer: Scope): void => {
    const scope = new Scope(outer);
    const parameterList = parts(node).find((child) => child.type === "parameters");
    for (const parameter of parameterList ? parts(parameterList) : []) {
      const [name, type] = parts(parameter);
      if (name) declare(scope, newSymbol(name.text, "local", name));
      if (type) visit(type, outer, "type");
    }
    const returns = node.childForFieldName("returns");
    if (returns) visit(returns, outer, "type");
    const body = parts(node).at(-1);
    if (body && body.type !== "type" && body.type !== "parameters") visit(body, scope, "value");
  };

  const visitIdentifier = (node: SyntaxNode, scope: Scope, mode: Mode): void => {
    const symbol = scope.lookup(node.text);
    if (mode === "type") {
      if (symbol && (symbol.kind === "type" || symbol.kind === "import")) symbol.used = true;
      else report(node, "undeclared-type", `type \`${node.text}\` is not declared`);
      return;
    }
    if (symbol && symbol.kind !== "type") {
      symbol.used = true;
      return;
    }
    if (!symbol && builtInNamespaces.has(node.text)) return;
    report(node, "undeclared-identifier", `\`${node.text}\` is not declared`);
  };

  function visit(node: SyntaxNode, scope: Scope, mode: Mode): void {
    const children = parts(node);
    switch (node.type) {
      case "ERROR":
      case "property_identifier":
      case "number":
      case "boolean":
      case "null":
      case "string_content":
      case "escape_sequence":
      case "primitive_type":
      case "parameterized_type":
      case "loop_variable":
      case "loop_enumerator":
      case "target_scope_assignment":
      case "using_statement":
      case "import_functionality":
      case "import_statement":
      case "import_with_statement":
        return;
      case "identifier":
        visitIdentifier(node, scope, mode);
        return;
      case "parameter_declaration":
      case "output_declaration":
        // name, type, value
        if (children[1]) visit(children[1], scope, "type");
        if (children[2]) visit(children[2], scope, "value");
        return;
      case "variable_declaration":
      case "metadata_declaration":
        // name = value
        if (children[1]) visit(children[1], scope, "value");
        return;
      case "resource_declaration":
      case "module_declaration":
        // name 'type-or-path' = body (an object, `if (...) {...}` or `[for ...]`)
        if (children[2]) visit(children[2], scope, "value");
        return;
      case "type_declaration":
        for (const child of children.slice(1)) visit(child, scope, "type");
        return;
      case "user_defined_function":
        visitFunction(node, scope);
        return;
      case "decorators":
        for (const decorator of children) {
          const call = parts(decorator)[0];
          if (call?.type === "call_expression") visitCall(call, scope, true);
        }
        return;
      case "call_expression":
        visitCall(node, scope, false);
        return;
      case "member_expression": {
        const object = node.childForFieldName("object");
        const property = node.childForFieldName("property");
        recordModuleOutput(object, property?.text, node, scope);
        if (object?.type === "identifier" && property) {
          const keys = scope.lookup(object.text)?.jsonKeys;
          if (keys && !keys.has(property.text)) {
            report(
              property,
              "json-key-unknown",
              `\`${object.text}\` (a loaded JSON file) has no key \`${property.text}\``,
            );
          }
        }
        if (object) visit(object, scope, mode);
        return;
      }
      case "subscript_expression": {
        const object = node.childForFieldName("object");
        const index = node.childForFieldName("index");
        recordModuleOutput(object, stringValue(index), node, scope);
        if (object) visit(object, scope, "value");
        if (index) visit(index, scope, "value");
        return;
      }
      case "resource_expression": {
        // parent::child
        const object = node.childForFieldName("object");
        const child = node.childForFieldName("resource");
        if (object?.type === "identifier" && child) {
          const parent = scope.lookup(object.text);
          if (parent?.kind === "resource" && !parent.nested.has(child.text)) {
            report(
              child,
              "nested-resource-unknown",
              `resource \`${object.text}\` declares no nested resource \`${child.text}\``,
            );
          }
        }
        if (object) visit(object, scope, "value");
        return;
      }
      case "object":
        visitObject(node, scope, mode);
        return;
      case "for_statement":
        visitFor(node, scope);
        return;
      case "lambda_expression":
        visitLambda(node, scope);
        return;
      case "string":
      case "interpolation":
        for (const child of children) visit(child, scope, "value");
        return;
      case "type":
        for (const child of children) visit(child, scope, "type");
        return;
      default:
        for (const child of children) visit(child, scope, mode);
    }
  }

  for (const statement of parts(root)) visit(statement, fileScope, "value");

  for (const symbol of fileScope.symbols.values()) {
    if (!symbol.used && (symbol.kind === "param" || symbol.kind === "var")) {
      report(symbol.nameNode, "unused-declaration", `${symbol.kind} \`${symbol.name}\` is never used`);
    }
  }

  // Resource types against the allow-list, and `parent:` against the child's type.
  for (const resource of resources) {
    if (resource.type === undefined) continue;
    const typeNode = parts(resource.declaration)[1] ?? resource.declaration;
    const versions = allowedResourceTypes.get(resource.type);
    if (!versions) {
      report(typeNode, "resource-type-unknown", `resource type '${resource.type}' is not in the allow-list`);
    } else if (!resource.apiVersion || !versions.includes(resource.apiVersion)) {
      report(
        typeNode,
        "resource-type-unknown",
        `'${resource.type}@${resource.apiVersion ?? "?"}': allowed API versions are ${versions.join(", ")}`,
      );
    }
    const parentNode = objectProperty(resource.body, "parent");
    if (parentNode?.type !== "identifier") continue;
    const parent = resources.find(
      (candidate) => candidate.symbol === parentNode.text && !candidate.enclosing,
    );
    if (!parent?.type) continue;
    const expectedSegments = parent.type.split("/").length + 1;
    if (
      !resource.type.startsWith(`${parent.type}/`) ||
      resource.type.split("/").length !== expectedSegments
    ) {
      report(
        parentNode,
        "resource-parent-mismatch",
        `'${resource.type}' cannot have a '${parent.type}' parent`,
      );
    }
  }

  return { file, params, outputs, resources, modules, moduleOutputReferences, findings };
}
