// The local host's matcher for Azure Functions route templates.
import { describe, expect, it } from "vitest";
import { compileRoute } from "../../shared/http/route-template.js";

const guid = "5f1c2a4e-8d3b-4a61-9f0e-2b7c6d5e4f30";

describe("compileRoute", () => {
  it("keeps the template it was compiled from", () => {
    expect(compileRoute("users/{id}").template).toBe("users/{id}");
  });

  it("matches a literal route exactly, with no parameters", () => {
    const route = compileRoute("subscribedSkus");
    expect(route.match("subscribedSkus")).toEqual({});
    expect(route.match("subscribedSkus/extra")).toBeUndefined();
    expect(route.match("subscribedSku")).toBeUndefined();
    expect(route.match("xsubscribedSkus")).toBeUndefined();
  });

  it("matches literals case-insensitively", () => {
    expect(compileRoute("users/{id}/assignLicense").match("USERS/abc/assignlicense")).toEqual({ id: "abc" });
  });

  it("accepts one trailing slash", () => {
    expect(compileRoute("users/{id}").match("users/abc/")).toEqual({ id: "abc" });
    expect(compileRoute("health").match("health/")).toEqual({});
    expect(compileRoute("health").match("health//")).toBeUndefined();
  });

  it("treats dots and other regex characters in literals literally", () => {
    const route = compileRoute("openapi.json");
    expect(route.match("openapi.json")).toEqual({});
    expect(route.match("openapiXjson")).toBeUndefined();
  });

  it("captures {x} as one whole segment", () => {
    const route = compileRoute("users/{id}/licenseDetails");
    expect(route.match("users/abc/licenseDetails")).toEqual({ id: "abc" });
    expect(route.match("users//licenseDetails")).toBeUndefined();
    expect(route.match("users/a/b/licenseDetails")).toBeUndefined();
  });

  it("lets {x?} be left out", () => {
    const route = compileRoute("jobs/{id?}");
    expect(route.match("jobs/42")).toEqual({ id: "42" });
    expect(route.match("jobs")).toEqual({});
    expect(route.match("jobs/")).toEqual({});
  });

  it("matches {x:int} only for integers", () => {
    const route = compileRoute("items/{n:int}");
    expect(route.match("items/42")).toEqual({ n: "42" });
    expect(route.match("items/-7")).toEqual({ n: "-7" });
    expect(route.match("items/4x")).toBeUndefined();
    expect(route.match("items/1.5")).toBeUndefined();
  });

  it("matches {x:guid} only for GUIDs, in either case", () => {
    const route = compileRoute("users/{id:guid}");
    expect(route.match(`users/${guid}`)).toEqual({ id: guid });
    expect(route.match(`users/${guid.toUpperCase()}`)).toEqual({ id: guid.toUpperCase() });
    expect(route.match("users/not-a-guid")).toBeUndefined();
    expect(route.match(`users/${guid}0`)).toBeUndefined();
    expect(route.match(`users/${guid.replaceAll("-", "")}`)).toBeUndefined();
  });

  it("supports optional constrained parameters such as {n:int?}", () => {
    const route = compileRoute("pages/{n:int?}");
    expect(route.match("pages")).toEqual({});
    expect(route.match("pages/3")).toEqual({ n: "3" });
    expect(route.match("pages/three")).toBeUndefined();
  });

  it("captures the rest of the path with {*rest}, slashes included, or nothing", () => {
    const route = compileRoute("files/{*rest}");
    expect(route.match("files/a/b/c.txt")).toEqual({ rest: "a/b/c.txt" });
    expect(route.match("files")).toEqual({});
  });

  it("captures several parameters by name", () => {
    expect(
      compileRoute("users/{id:guid}/officeInstalls/{installId}").match(`users/${guid}/officeInstalls/i-1`),
    ).toEqual({ id: guid, installId: "i-1" });
  });

  it("decodes percent-encoded parameter values", () => {
    const route = compileRoute("users/{upn}");
    expect(route.match("users/lee.gu%40contoso.example")).toEqual({ upn: "lee.gu@contoso.example" });
    expect(route.match("users/a%20b%2Fc")).toEqual({ upn: "a b/c" });
  });

  it("refuses a constraint it does not know when compiling", () => {
    expect(() => compileRoute("items/{n:decimal}")).toThrow(/unsupported route constraint :decimal/);
  });

  // A path with a broken percent-escape reaches the matcher as it arrived (URL keeps escapes), and
  // decodeURIComponent throws URIError: the local host answers 500 instead of 404/400.
  it("does not throw on a malformed percent-escape", () => {
    expect(() => compileRoute("users/{id}").match("users/%E0%A4%A")).not.toThrow();
  });
});
