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
