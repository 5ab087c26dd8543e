// The route table the local host and $batch route with: most specific template first, as ASP.NET
// routing (the Functions host's) chooses, then the method.
import type { HttpHandler, HttpMethod } from "@azure/functions";
import { describe, expect, it } from "vitest";
import type { FunctionDefinition } from "../../shared/function-definition.js";
import { createRouteTable } from "../../shared/http/route-table.js";
import { compareRoutePrecedence } from "../../shared/http/route-template.js";

const handler: HttpHandler = async () => ({ status: 204 });
const fn = (name: string, route: string, ...methods: HttpMethod[]): FunctionDefinition => ({
  kind: "http",
  name,
  options: { route, methods, handler },
});
const guid = "5f1c2a4e-8d3b-4a61-9f0e-2b7c6d5e4f30";

const chosen = (table: ReturnType<typeof createRouteTable>, method: string, path: string) => {
  const resolution = table.resolve(method, path);
  return resolution.kind === "found" ? resolution.definition.name : resolution.kind;
};

describe("createRouteTable", () => {
  it("prefers a literal segment over a parameter that also matches, whatever the order registered", () => {
    const parameterFirst = createRouteTable([
      fn("getUser", "v1.0/users/{id}", "GET"),
      fn("countUsers", "v1.0/users/$count", "GET"),
    ]);
    const literalFirst = createRouteTable([
      fn("countUsers", "v1.0/users/$count", "GET"),
      fn("getUser", "v1.0/users/{id}", "GET"),
    ]);
    for (const table of [parameterFirst, literalFirst]) {
      expect(chosen(table, "GET", "v1.0/users/$count")).toBe("countUsers");
      expect(chosen(table, "GET", "v1.0/users/$COUNT")).toBe("countUsers");
      expect(chosen(table, "GET", "v1.0/users/adele@contoso.example")).toBe("getUser");
    }
  });

  it("prefers a constrained parameter over a plain one, and either over a catch-all", () => {
    const table = createRouteTable([
      fn("rest", "api/{*rest}", "GET"),
      fn("byName", "api/users/{name}", "GET"),
      fn("byGuid", "api/users/{id:guid}", "GET"),
    ]);
    expect(chosen(table, "GET", `api/users/${guid}`)).toBe("byGuid");
    expect(chosen(table, "GET", "api/users/adele")).toBe("byName");
    expect(chosen(table, "GET", "api/other/thing")).toBe("rest");
    expect(compareRoutePrecedence("users/$count", "users/{id}")).toBeLessThan(0);
  });

  it("lets the method decide among the templates that match: the literal's, else the parameter's", () => {
    const table = createRouteTable([
      fn("updateUser", "v1.0/users/{id}", "PATCH"),
      fn("countUsers", "v1.0/users/$count", "GET"),
    ]);
    expect(chosen(table, "GET", "v1.0/users/$count")).toBe("countUsers");
    expect(chosen(table, "PATCH", "v1.0/users/$count")).toBe("updateUser");
    expect(table.resolve("DELETE", "v1.0/users/$count")).toEqual({
      kind: "methodNotAllowed",
      allow: ["GET", "PATCH"],
    });
  });

  it("finds nothing for a path no template matches, and serves only the prefixes its routes name", () => {
    const table = createRouteTable([fn("getUser", "api/users/{id}", "GET")]);
    expect(chosen(table, "GET", "api/groups/x")).toBe("notFound");
    expect(chosen(table, "GET", "v1.0/users/x")).toBe("notFound");
    expect(chosen(table, "GET", "")).toBe("notFound");
  });
});
