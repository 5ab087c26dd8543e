// The tree-sitter-bicep parser and small readers over its syntax tree.
import Parser from "tree-sitter";
import Bicep from "tree-sitter-bicep";

export type SyntaxNode = Parser.SyntaxNode;

let parser: Parser | undefined;

/**
 * Parses Bicep source; syntax errors show up as ERROR and missing nodes in the tree. Known grammar gap
 * (tree-sitter-bicep 1.1.0): a string whose content starts with `//`, such as `'//'`, is read as a
 * comment and reported as a syntax error although Bicep accepts it.
 */
export function parseBicep(source: string): SyntaxNode {
  if (!parser) {
    parser = new Parser();
    // tree-sitter-bicep types its language object loosely; it is the grammar object tree-sitter wants.
    parser.setLanguage(Bicep as Parser.Language);
  }
  // The default input buffer is small; a larger one avoids splitting long files into chunks.
  return parser.parse(source, null, { bufferSize: Math.max(32 * 1024, source.length * 2) }).rootNode;
}

export interface SyntaxProblem {
  readonly node: SyntaxNode;
  readonly message: string;
}

/** Every ERROR and missing node, outermost first; a tree without errors gives none. */
export function syntaxProblems(root: SyntaxNode): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.isMissing) {
      const previous = problems.at(-1);
      // Recovery often inserts several missing tokens at one place: report the place once.
      if (previous?.node.startIndex !== node.startIndex)
        problems.push({ node, message: `missing ${node.type}` });
      return;
    }
    if (node.isError) {
      const text = node.text.split("\n")[0]?.slice(0, 40) ?? "";
      problems.push({ node, message: `cannot parse \`${text}\`` });
      return;
    }
    if (!node.hasError) return;
    for (const child of node.children) visit(child);
  };
  visit(root);
  return problems;
}

/** The value of a string literal without interpolation (`'abc'`, `'''abc'''`), else undefined. */
export function stringValue(node: SyntaxNode | undefined | null): string | undefined {
  if (node?.type !== "string") return undefined;
  if (node.namedChildren.some((child) => child.type === "interpolation")) return undefined;
  const text = node.text;
  if (text.startsWith("'''")) return text.slice(3, -3);
  return text.slice(1, -1).replace(/\\(u\{[0-9a-fA-F]+\}|.)/g, (_match, escaped: string) => {
    if (escaped.startsWith("u{")) return String.fromCodePoint(Number.parseInt(escaped.slice(2, -1), 16));
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t" };
    return simple[escaped] ?? escaped;
  });
}

/** The key of an object property when it is a plain name or a string literal. */
function propertyKey(property: SyntaxNode): string | undefined {
  const key = property.namedChildren[0];
  if (!key) return undefined;
  if (key.type === "identifier") return key.text;
  if (key.type === "compatible_identifier") return key.text.replace(/\?$/, "");
  return stringValue(key);
}

export interface ObjectEntry {
  readonly key: string | undefined;
  readonly keyNode: SyntaxNode;
  readonly value: SyntaxNode | undefined;
  readonly property: SyntaxNode;
}

/** The `key: value` entries of an object literal (nested resource declarations are left out). */
export function objectEntries(object: SyntaxNode): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const property of object.namedChildren) {
    if (property.type !== "object_property") continue;
    const [keyNode, value] = property.namedChildren;
    if (!keyNode || keyNode.type === "resource_declaration") continue;
    entries.push({ key: propertyKey(property), keyNode, value, property });
  }
  return entries;
}

/** The value of `name:` in an object literal. */
export function objectProperty(object: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  if (object?.type !== "object") return undefined;
  return objectEntries(object).find((entry) => entry.key === name)?.value;
}

/** Follows `a.b.c` through nested object literals. */
export function objectPath(object: SyntaxNode | undefined, path: readonly string[]): SyntaxNode | undefined {
  let current = object;
  for (const name of path) current = objectProperty(current, name);
  return current;
}

/**
 * The object literal that configures a resource or module declaration, looking through
 * `= if (...) {...}` and `= [for ... : {...}]`.
 */
export function declarationBody(declaration: SyntaxNode): SyntaxNode | undefined {
  let body = declaration.lastNamedChild ?? undefined;
  if (body?.type === "for_statement") body = body.childForFieldName("body") ?? undefined;
  if (body?.type === "if_statement") body = body.namedChildren.find((child) => child.type === "object");
  return body?.type === "object" ? body : undefined;
}

/** Whether a declaration is preceded by a decorator of that name (`@name(...)` or `@sys.name(...)`). */
export function hasDecorator(declaration: SyntaxNode, name: string): boolean {
  let sibling = declaration.previousNamedSibling;
  while (sibling && (sibling.type === "comment" || sibling.type === "diagnostic_comment")) {
    sibling = sibling.previousNamedSibling;
  }
  if (sibling?.type !== "decorators") return false;
  return sibling.namedChildren.some((decorator) => decoratorName(decorator) === name);
}

function decoratorName(decorator: SyntaxNode): string | undefined {
  const fn = decorator.namedChildren[0]?.childForFieldName("function");
  if (!fn) return undefined;
  if (fn.type === "identifier") return fn.text;
  if (fn.type === "member_expression") return fn.childForFieldName("property")?.text;
  return undefined;
}
