// Azure Functions route templates (`users/{id:guid}`, `{x?}`, `{x:int}`, `{*rest}`) as matchers.

export interface RouteMatcher {
  readonly template: string;
  match(path: string): Record<string, string> | undefined;
}

const constraints: Record<string, string> = {
  int: "-?\\d+",
  guid: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
  alpha: "[A-Za-z]+",
  bool: "(?:true|false)",
};

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function compileRoute(template: string): RouteMatcher {
  const names: string[] = [];
  const pattern = template
    .split("/")
    .map((segment, index) => {
      const slash = index === 0 ? "" : "/";
      const param = /^\{(\*)?(\w+)(?::(\w+))?(\?)?\}$/.exec(segment);
      if (!param) return slash + escapeRegExp(segment);
      const [, catchAll, name = "", constraint, optional] = param;
      names.push(name);
      if (catchAll) return `(?:${slash}(.*))?`;
      if (constraint && !constraints[constraint])
        throw new Error(`unsupported route constraint :${constraint}`);
      const value = constraint ? constraints[constraint] : "[^/]+";
      return optional ? `(?:${slash}(${value}))?` : `${slash}(${value})`;
    })
    .join("");
  const regex = new RegExp(`^${pattern}/?$`, "i");
  return {
    template,
    match(path) {
      const found = regex.exec(path);
      if (!found) return undefined;
      const params: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          const value = found[i + 1];
          if (value !== undefined) params[name] = decodeURIComponent(value);
        });
      } catch {
        return undefined; // a malformed percent-escape matches no route
      }
      return params;
    },
  };
}

/**
 * How ASP.NET routing (the Functions host's) ranks a template against others that match the same
 * path, one digit per segment, lower first: a literal (1) before a constrained parameter (3), a plain
 * or optional parameter (4) and a catch-all (5). So `users/$count` wins over `users/{id}`.
 */
export function routePrecedence(template: string): number[] {
  return template.split("/").map((segment) => {
    const param = /^\{(\*)?\w+(:\w+)?\??\}$/.exec(segment);
    if (!param) return 1;
    if (param[1]) return 5;
    return param[2] ? 3 : 4;
  });
}

/** Orders two templates by `routePrecedence`, the more specific first. */
export function compareRoutePrecedence(a: string, b: string): number {
  const [left, right] = [routePrecedence(a), routePrecedence(b)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}
