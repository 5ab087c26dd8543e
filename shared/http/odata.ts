// OData query options as Microsoft Graph takes them, read with a real OData v4 parser (@odata/parser)
// and translated into the use cases' own terms: a `$filter` becomes a list of UserCondition, a
// `$select` a list of property names. The use cases never see OData text. Anything outside the subset
// below is refused with a message that names the part (and where it starts), as Graph does.
//
// $filter on users: assignedLicenses/any(x:x/skuId eq <guid>), userPrincipalName eq '…',
// startswith(displayName,'…'), startswith(userPrincipalName,'…'), userType eq 'Guest'|'Member',
// assignedLicenses/$count eq 0, any of these joined with `and`, in parentheses or not.
// $orderby on users: displayName or userPrincipalName, asc or desc.
import { defaultParser } from "@odata/parser";
import { z } from "zod";
import { ProblemError } from "../domain/problem.js";
import type { UserPrefixProperty } from "../usecases/ports.js";
import type { UserCondition, UserOrder, UserQuery } from "../usecases/read-users.js";

/** A `$filter` or `$select` longer than this is refused before it is parsed. */
export const maxOptionLength = 2048;
/** Parentheses deeper than this are refused before parsing (the parser's time grows with depth). */
const maxNesting = 16;

/** What a parser token is, as far as this translation reads it. */
interface Node {
  readonly type: string;
  readonly raw: string;
  readonly position: number;
  readonly value: unknown;
}

const isNode = (value: unknown): value is Node =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Record<string, unknown>).type === "string" &&
  typeof (value as Record<string, unknown>).raw === "string" &&
  typeof (value as Record<string, unknown>).position === "number";

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/** A refusal of one part of the option: the message names it and where it starts (1-based). */
export class UnsupportedOData extends Error {
  override readonly name = "UnsupportedOData";
}

const quote = (text: string) => `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
const at = (node: Node) => `${quote(node.raw)} (at character ${node.position + 1})`;

export const supportedUserFilters =
  "assignedLicenses/any(x:x/skuId eq <guid>), userPrincipalName eq '…', startswith(displayName,'…'), " +
  "startswith(userPrincipalName,'…'), userType eq 'Guest'|'Member' and assignedLicenses/$count eq 0, joined with and";

const unsupported = (what: string) =>
  new UnsupportedOData(`${what} is not supported; $filter supports ${supportedUserFilters}`);

/** Wrappers the parser puts around an expression that add nothing to its meaning. */
const transparent = new Set(["CommonExpression", "BoolParenExpression", "ParenExpression"]);

function unwrap(node: Node): Node {
  let current = node;
  while (transparent.has(current.type) && isNode(current.value)) current = current.value;
  return current;
}

/** The property a node names, when it is a plain property path of one segment. */
function propertyName(node: Node): string | undefined {
  const inner = unwrap(node);
  if (!["FirstMemberExpression", "MemberExpression", "PropertyPathExpression"].includes(inner.type)) {
    return undefined;
  }
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(inner.raw) ? inner.raw : undefined;
}

/** A string literal's text ('' is an escaped quote), or undefined when the node is not one. */
function stringLiteral(node: Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type !== "Literal" || inner.value !== "Edm.String") return undefined;
  return inner.raw.slice(1, -1).replace(/''/g, "'");
}

function guidLiteral(node: Node): string | undefined {
  const inner = unwrap(node);
  if (inner.type !== "Literal") return undefined;
  if (inner.value === "Edm.Guid") return inner.raw.toLowerCase();
  return undefined;
}

function leftRight(node: Node): [Node, Node] {
  const left = field(node.value, "left");
  const right = field(node.value, "right");
  if (!isNode(left) || !isNode(right)) throw unsupported(at(node));
  return [left, right];
}

const operatorNames: Record<string, string> = {
  OrExpression: "or",
  NotEqualsExpression: "ne",
  LesserThanExpression: "lt",
  LesserOrEqualsExpression: "le",
  GreaterThanExpression: "gt",
  GreaterOrEqualsExpression: "ge",
  HasExpression: "has",
  NotExpression: "not",
  AddExpression: "add",
  SubExpression: "sub",
  MulExpression: "mul",
  DivExpression: "div",
  ModExpression: "mod",
  NegateExpression: "negation",
};

function conditionsOf(token: Node): UserCondition[] {
  const node = unwrap(token);
  switch (node.type) {
    case "AndExpression": {
      const [left, right] = leftRight(node);
      return [...conditionsOf(left), ...conditionsOf(right)];
    }
    case "EqualsExpression":
      return [equality(node)];
    case "MethodCallExpression":
      return [methodCall(node)];
    case "FirstMemberExpression":
    case "MemberExpression":
    case "PropertyPathExpression":
      return [lambda(node)];
    default: {
      const operator = operatorNames[node.type];
      throw unsupported(operator ? `The operator '${operator}' in ${at(node)}` : at(node));
    }
  }
}

function equality(node: Node): UserCondition {
  const [left, right] = leftRight(node);
  if (unwrap(left).raw === "assignedLicenses/$count") {
    const value = unwrap(right);
    if (value.type !== "Literal" || !/^0+$/.test(value.raw)) {
      throw unsupported(`Comparing assignedLicenses/$count with anything but 0 in ${at(node)}`);
    }
    return { kind: "licensed", equals: false };
  }
  const property = propertyName(left);
  const text = stringLiteral(right);
  if (property === "userPrincipalName") {
    if (text === undefined)
      throw unsupported(`Comparing userPrincipalName with anything but a string in ${at(node)}`);
    return { kind: "userPrincipalName", equals: text };
  }
  if (property === "userType") {
    const userType = ["Member", "Guest"].find((type) => type.toLowerCase() === text?.toLowerCase());
    if (userType !== "Member" && userType !== "Guest") {
      throw new UnsupportedOData(`userType is 'Member' or 'Guest', not ${at(right)}`);
    }
    return { kind: "userType", equals: userType };
  }
  throw unsupported(
    property === undefined
      ? `The comparison ${at(node)}`
      : `Filtering on the property ${property} in ${at(node)}`,
  );
}

const prefixProperties: readonly UserPrefixProperty[] = ["displayName", "userPrincipalName"];

function methodCall(node: Node): UserCondition {
  const method = field(node.value, "method");
  const parameters = field(node.value, "parameters");
  if (method !== "startswith") throw unsupported(`The function ${String(method)} in ${at(node)}`);
  const [first, second] = Array.isArray(parameters) ? parameters : [];
  const property = isNode(first) ? propertyName(first) : undefined;
  const prefix = isNode(second) ? stringLiteral(second) : undefined;
  const known = prefixProperties.find((name) => name === property);
  if (known === undefined) {
    throw unsupported(
      `startswith on ${property ?? "anything"} but displayName or userPrincipalName in ${at(node)}`,
    );
  }
  if (prefix === undefined) throw unsupported(`startswith with anything but a string in ${at(node)}`);
  return { kind: "startsWith", property: known, prefix };
}

/** `assignedLicenses/any(x:x/skuId eq <guid>)`, read from the parser's lambda tokens. */
function lambda(node: Node): UserCondition {
  const match = /^(\w+)\/(any|all)\(/.exec(node.raw);
  if (!match) throw unsupported(`The expression ${at(node)}`);
  const [, collection, operator] = match;
  if (collection !== "assignedLicenses") throw unsupported(`Filtering on ${collection} in ${at(node)}`);
  if (operator !== "any") throw unsupported(`The lambda operator '${operator}' in ${at(node)}`);
  const any = findNode(node, "AnyExpression");
  const variable = any && field(any.value, "variable");
  const predicate = any && field(any.value, "predicate");
  if (!any || !isNode(variable) || !isNode(predicate)) throw unsupported(`An empty any() in ${at(node)}`);
  const body = isNode(predicate.value) ? predicate.value : predicate;
  if (body.type !== "EqualsExpression") throw unsupported(`Inside any(), ${at(body)}`);
  const [left, right] = leftRight(body);
  if (unwrap(left).raw !== `${variable.raw}/skuId`) {
    throw unsupported(`Inside any(), comparing anything but ${variable.raw}/skuId in ${at(body)}`);
  }
  const skuId = guidLiteral(right);
  if (skuId === undefined)
    throw new UnsupportedOData(`skuId is compared with a GUID (no quotes), not ${at(right)}`);
  return { kind: "holds", skuId };
}

function findNode(value: unknown, type: string): Node | undefined {
  if (isNode(value) && value.type === type) return value;
  if (typeof value !== "object" || value === null) return undefined;
  for (const child of Object.values(value)) {
    const found = findNode(child, type);
    if (found) return found;
  }
  return undefined;
}

/** The deepest parenthesis nesting outside string literals. */
function nestingOf(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (const char of text) {
    if (char === "'") inString = !inString;
    else if (!inString && char === "(") deepest = Math.max(deepest, ++depth);
    else if (!inString && char === ")") depth--;
  }
  return deepest;
}

/** The parser's "Unexpected character at N" / "Fail at N" as a message naming the place. */
function syntaxError(text: string, error: unknown, supported: string): UnsupportedOData {
  const found = /at (\d+)/.exec(error instanceof Error ? error.message : "");
  const position = found ? Number(found[1]) : 0;
  const rest = text.slice(position);
  return new UnsupportedOData(
    rest === ""
      ? `is not a complete OData expression (it ends too soon)`
      : `cannot be read at character ${position + 1}: ${quote(rest)} is not valid OData there, or not supported (${supported})`,
  );
}

/** A `$filter`'s parse tree; a refusal names the place it cannot be read and what is supported. */
function parsedFilter(text: string, supported: string): Node {
  if (nestingOf(text) > maxNesting) throw new UnsupportedOData(`nests parentheses deeper than ${maxNesting}`);
  let tree: unknown;
  try {
    tree = defaultParser.filter(text);
  } catch (error) {
    throw syntaxError(text, error, supported);
  }
  if (!isNode(tree)) throw syntaxError(text, undefined, supported);
  return tree;
}

/** A `$filter` on users as conditions that must all hold. Throws UnsupportedOData naming the part. */
export function userConditionsOf(text: string): UserCondition[] {
  return conditionsOf(parsedFilter(text, supportedUserFilters));
}

/**
 * A `$select` as property names among `allowed` (`*` is every one). `id` is always included by the
 * caller, as Graph does. Throws UnsupportedOData naming an unknown property or a path.
 */
export function selectionOf(text: string, allowed: readonly string[]): readonly string[] {
  let tree: unknown;
  try {
    tree = defaultParser.query(`$select=${text}`);
  } catch (error) {
    const found = /at (\d+)/.exec(error instanceof Error ? error.message : "");
    const position = Math.max(0, (found ? Number(found[1]) : 0) - "$select=".length);
    throw new UnsupportedOData(`cannot be read at character ${position + 1}: ${quote(text.slice(position))}`);
  }
  const options = field(field(tree, "value"), "options");
  const select = Array.isArray(options) ? options[0] : undefined;
  const items = field(field(select, "value"), "items");
  if (!isNode(select) || select.type !== "Select" || !Array.isArray(items)) {
    throw new UnsupportedOData(`${quote(text)} is not a list of property names`);
  }
  const names: string[] = [];
  for (const item of items) {
    if (!isNode(item)) continue;
    const name = item.raw;
    const position = item.position - "$select=".length + 1;
    if (name === "*") return allowed;
    const known = allowed.find((property) => property.toLowerCase() === name.toLowerCase());
    if (known === undefined) {
      throw new UnsupportedOData(
        `${quote(name)} (at character ${position}) is not a property that can be selected; choose among ${allowed.join(", ")}`,
      );
    }
    names.push(known);
  }
  return names;
}

export const supportedUserOrders = "displayName or userPrincipalName, each asc (the default) or desc";

/** A `$orderby` on users: one property and its direction. Throws UnsupportedOData naming the part. */
export function orderOf(text: string): UserOrder {
  let tree: unknown;
  try {
    tree = defaultParser.query(`$orderby=${text}`);
  } catch {
    // The parser fails at the option's start whatever the mistake: no place to name.
    throw new UnsupportedOData(
      `${quote(text)} is not a property followed by asc or desc; $orderby supports ${supportedUserOrders}`,
    );
  }
  const options = field(field(tree, "value"), "options");
  const orderBy = Array.isArray(options) ? options[0] : undefined;
  const items = field(field(orderBy, "value"), "items");
  const [item, second] = Array.isArray(items) ? items : [];
  if (!isNode(orderBy) || orderBy.type !== "OrderBy" || !isNode(item)) {
    throw new UnsupportedOData(
      `${quote(text)} is not a property to order by; $orderby supports ${supportedUserOrders}`,
    );
  }
  if (isNode(second)) {
    throw new UnsupportedOData(
      `Ordering by more than one property (${quote(second.raw)} at character ${second.position - "$orderby=".length + 1}) is not supported; $orderby supports ${supportedUserOrders}`,
    );
  }
  const expression = field(item.value, "expr");
  const name = isNode(expression) ? propertyName(expression) : undefined;
  const property = prefixProperties.find((known) => known === name);
  if (property === undefined) {
    throw new UnsupportedOData(
      `Ordering by ${quote(isNode(expression) ? expression.raw : text)} is not supported; $orderby supports ${supportedUserOrders}`,
    );
  }
  return { property, direction: field(item.value, "direction") === -1 ? "desc" : "asc" };
}

/** The fields of `item` that a selection names, and its `id` if it has one. */
export function selected<T extends object>(item: T, selection: readonly string[] | undefined): Partial<T> {
  if (selection === undefined) return item;
  return Object.fromEntries(
    Object.entries(item).filter(([name]) => name === "id" || selection.includes(name)),
  ) as Partial<T>;
}

/** A zod query option: the text checked and translated, a refusal reported at the option's name. */
const translated = <T>(translate: (text: string) => T) =>
  z
    .string()
    .min(1)
    .max(maxOptionLength)
    .transform((text, ctx) => {
      try {
        return translate(text);
      } catch (error) {
        if (!(error instanceof UnsupportedOData)) throw error;
        ctx.addIssue({ code: "custom", message: error.message });
        return z.NEVER;
      }
    });

/** `$filter` on users, for a route's query schema. */
export const userFilterOption = translated(userConditionsOf).meta({
  description: `OData $filter. Supported: ${supportedUserFilters}. Anything else is a 400 naming the part.`,
});

export const supportedGroupFilters =
  "startswith(displayName,'…'), hasMembersWithLicenseErrors eq true, and both joined with and";

/** What a `$filter` on groups asks: a displayName prefix, groups with members in license errors, or both. */
export interface GroupConditions {
  readonly displayNamePrefix?: string;
  readonly withLicenseErrors?: true;
}

/** A `$filter` on groups, as the conditions it names. */
export function groupConditionsOf(text: string): GroupConditions {
  const refuse = (what: string) =>
    new UnsupportedOData(
      `${what} is not supported; $filter on groups supports ${supportedGroupFilters} only`,
    );
  const conditions = (token: Node): GroupConditions[] => {
    const node = unwrap(token);
    if (node.type === "AndExpression") {
      const [left, right] = leftRight(node);
      return [...conditions(left), ...conditions(right)];
    }
    if (node.type === "EqualsExpression") {
      const [left, right] = leftRight(node);
      const property = propertyName(left);
      const value = unwrap(right);
      if (property !== "hasMembersWithLicenseErrors") throw refuse(`The comparison ${at(node)}`);
      if (value.type !== "Literal" || value.raw !== "true") {
        throw refuse(`hasMembersWithLicenseErrors compared with anything but true in ${at(node)}`);
      }
      return [{ withLicenseErrors: true }];
    }
    if (node.type !== "MethodCallExpression") {
      const operator = operatorNames[node.type];
      throw refuse(operator ? `The operator '${operator}' in ${at(node)}` : at(node));
    }
    const method = field(node.value, "method");
    if (method !== "startswith") throw refuse(`The function ${String(method)} in ${at(node)}`);
    const parameters = field(node.value, "parameters");
    const [first, second] = Array.isArray(parameters) ? parameters : [];
    const property = isNode(first) ? propertyName(first) : undefined;
    if (property !== "displayName") throw refuse(`startswith on ${property ?? "anything"} in ${at(node)}`);
    const prefix = isNode(second) ? stringLiteral(second) : undefined;
    if (prefix === undefined) throw refuse(`startswith with anything but a string in ${at(node)}`);
    return [{ displayNamePrefix: prefix }];
  };
  const all = conditions(parsedFilter(text, supportedGroupFilters));
  const prefixes = all.flatMap((c) => (c.displayNamePrefix === undefined ? [] : [c.displayNamePrefix]));
  if (prefixes.length > 1) throw refuse("More than one startswith");
  return Object.assign({}, ...all) as GroupConditions;
}

/** `$filter` on groups, for a route's query schema. */
export const groupFilterOption = translated(groupConditionsOf).meta({
  description: `OData $filter. Supported: ${supportedGroupFilters}. Anything else is a 400 naming the part.`,
});

/** `$orderby` on users, for a route's query schema. */
export const userOrderOption = translated(orderOf).meta({
  description: `OData $orderby: ${supportedUserOrders}; with a filter it needs the header ConsistencyLevel: eventual, as in Microsoft Graph.`,
});

/** `$select` among a representation's properties, for a route's query schema. */
export const selectOption = (allowed: readonly string[]) =>
  translated((text) => selectionOf(text, allowed)).meta({
    description: `OData $select: a comma-separated list of ${allowed.join(", ")} (or *); id is always returned.`,
  });

/** Graph counts only in an "advanced query", which the caller asks for with ConsistencyLevel: eventual. */
export function requireEventualConsistency(header: string | undefined, what: string): void {
  if (header?.trim().toLowerCase() === "eventual") return;
  throw new ProblemError(
    "ValidationFailed",
    `${what} needs the header ConsistencyLevel: eventual, as in Microsoft Graph.`,
    [{ path: "ConsistencyLevel", message: "must be eventual" }],
  );
}

/**
 * What of a users query Graph answers only as an "advanced query" (ConsistencyLevel: eventual):
 * $count=true, a filter on assignedLicenses/$count, and $orderby together with any filter.
 */
export function advancedQueryParts(
  query: UserQuery,
  options: { $count?: boolean; orderBy?: UserOrder },
): string[] {
  const filtered =
    query.licensed !== undefined ||
    query.needsLicense !== undefined ||
    query.deleted === true ||
    query.licenseErrors !== undefined ||
    query.skuId !== undefined ||
    (query.where?.length ?? 0) > 0;
  return [
    ...(options.$count ? ["$count=true"] : []),
    ...(query.where?.some((condition) => condition.kind === "licensed")
      ? ["assignedLicenses/$count in $filter"]
      : []),
    ...(options.orderBy && filtered ? ["$orderby with a filter"] : []),
  ];
}

/** The filters of a users listing or count (our parameters and `$filter`) as the use case's query. */
export function userQueryOf(query: {
  readonly licensed?: boolean | undefined;
  readonly needsLicense?: boolean | undefined;
  readonly deleted?: boolean | undefined;
  readonly licenseErrors?: boolean | undefined;
  readonly skuId?: string | undefined;
  readonly $filter?: UserCondition[] | undefined;
}): UserQuery {
  return {
    ...(query.licensed === undefined ? {} : { licensed: query.licensed }),
    ...(query.needsLicense === undefined ? {} : { needsLicense: query.needsLicense }),
    ...(query.deleted === undefined ? {} : { deleted: query.deleted }),
    ...(query.licenseErrors === undefined ? {} : { licenseErrors: query.licenseErrors }),
    ...(query.skuId ? { skuId: query.skuId } : {}),
    ...(query.$filter ? { where: query.$filter } : {}),
  };
}
