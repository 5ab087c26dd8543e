// Which registered HTTP function serves a request, as the Functions host chooses: the templates
// that match the path, most specific first (a literal segment before a parameter), then the method.
// The local host routes every request with it, and $batch routes each inner request.
import type { FunctionDefinition } from "../function-definition.js";
import { compareRoutePrecedence, compileRoute, type RouteMatcher } from "./route-template.js";

export type HttpDefinition = Extract<FunctionDefinition, { kind: "http" }>;

export type RouteResolution =
  | {
      readonly kind: "found";
      readonly definition: HttpDefinition;
      readonly params: Record<string, string>;
    }
  | { readonly kind: "methodNotAllowed"; readonly allow: readonly string[] }
  | { readonly kind: "notFound" };

export interface RouteTable {
  /** `path` is the URL's path without its leading slash and query, still percent-encoded. */
  resolve(method: string, path: string): RouteResolution;
}

const isCatchAll = (template: string): boolean => /^\{\*/.test(template);

export function createRouteTable(functions: readonly FunctionDefinition[]): RouteTable {
  const routes: { readonly definition: HttpDefinition; readonly matcher: RouteMatcher }[] = functions
    .filter((definition): definition is HttpDefinition => definition.kind === "http")
    .sort((a, b) => compareRoutePrecedence(a.options.route, b.options.route))
    .map((definition) => ({ definition, matcher: compileRoute(definition.options.route) }));
  return {
    resolve(method, path) {
      const all = routes.flatMap((route) => {
        const params = route.matcher.match(path);
        return params ? [{ definition: route.definition, params }] : [];
      });
      // A catch-all (the console's `{*path}`) serves only paths no other template matches: a path
      // an API route names is that route's, whatever the method, and a method a catch-all does not
      // take is no page of it.
      const specific = all.filter(({ definition }) => !isCatchAll(definition.options.route));
      const matching = specific.length > 0 ? specific : all;
      if (matching.length === 0) return { kind: "notFound" };
      const upper = method.toUpperCase();
      const chosen = matching.find(({ definition }) =>
        definition.options.methods.some((allowed) => allowed === upper),
      );
      if (chosen) return { kind: "found", ...chosen };
      if (specific.length === 0) return { kind: "notFound" };
      const allow = [...new Set(matching.flatMap(({ definition }) => definition.options.methods))];
      return { kind: "methodNotAllowed", allow };
    },
  };
}
