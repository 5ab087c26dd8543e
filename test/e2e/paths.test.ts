// Every route but health and openapi.json is served under /api and under /v1.0 (Microsoft Graph's
// version segment, which the Graph SDKs append to their base URL), by the same functions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

/** A body without its OData annotations, which may name the URL the caller used. */
const comparable = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([name]) => !name.startsWith("@odata.")));

describe("the API under /api and /v1.0", () => {
  it("answers the same under /v1.0 as under /api, reads and writes alike", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const created = await tenant.call<{ id: string }>("POST", "/v1.0/users", {
      userPrincipalName: "adele.vance@contoso.example",
      displayName: "Adele Vance",
    });
    expect(created.status).toBe(201);
    const userId = created.body.id;
    const assigned = await tenant.call("POST", `/v1.0/users/${userId}/assignLicense`, {
      addLicenses: [{ skuId: skus.businessStandard, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(assigned.status).toBe(200);

    for (const path of [
      "/skus",
      "/subscribedSkus",
      `/subscribedSkus/${skus.businessStandard}`,
      "/subscriptions",
      "/users",
      `/users/${userId}`,
      `/users/${userId}/licenseDetails`,
      `/users/${userId}/mailbox`,
    ]) {
      const [api, graph] = [
        await tenant.call("GET", `/api${path}`),
        await tenant.call("GET", `/v1.0${path}`),
      ];
      expect(graph.status, path).toBe(200);
      expect(api.status, path).toBe(200);
      expect(comparable(graph.body), path).toEqual(comparable(api.body));
    }
    expect((await tenant.sku(skus.businessStandard)).consumedUnits).toBe(1);
  });

  it("refuses the same way under both: no token, a missing user, an unknown path, a wrong method", async () => {
    const tenant = await newTenant(app);
    const missing = "5f1c2a4e-8d3b-4a61-9f0e-2b7c6d5e4f30";
    for (const prefix of ["/api", "/v1.0"]) {
      expect((await app.call("GET", `${prefix}/subscribedSkus`)).status, prefix).toBe(401);
      const notFound = await tenant.call("GET", `${prefix}/users/${missing}`);
      expect([notFound.status, notFound.body.code], prefix).toEqual([404, "NotFound"]);
      const noRoute = await tenant.call("GET", `${prefix}/nothing/here`);
      expect([noRoute.status, noRoute.body.code], prefix).toEqual([404, "NotFound"]);
      const wrongMethod = await app.call("PUT", `${prefix}/users`, { token: tenant.admin, body: {} });
      expect([wrongMethod.status, wrongMethod.headers.get("allow")], prefix).toEqual([405, "POST, GET"]);
    }
  });

  it("serves health and openapi.json under /api only, and answers other API paths with the NotFound problem", async () => {
    expect((await app.call("GET", "/api/health")).status).toBe(200);
    expect((await app.call("GET", "/api/openapi.json")).status).toBe(200);
    for (const path of ["/v1.0/health", "/v1.0/openapi.json", "/api/nothing", "/v1.0/nothing"]) {
      const response = await app.call("GET", path);
      expect([response.status, response.body.code], path).toEqual([404, "NotFound"]);
      expect(response.headers.get("content-type"), path).toMatch(/json/);
    }
    // Outside the API's prefixes a GET is one of the console's pages (functions/console.ts), and
    // any other method there is no route at all.
    for (const path of ["/users", "/v2.0/users"]) {
      const response = await app.call("POST", path, { body: {} });
      expect([response.status, response.body.code], path).toEqual([404, "NotFound"]);
    }
  });

  it("answers a path that can name no file (a NUL, a name too long) with a 404 problem, or as a console page, never a 500", async () => {
    for (const path of ["/assets/%00.js", "/%00.js", `/${"a".repeat(5_000)}.js`, "/assets/%00/x.css"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path.slice(0, 40)).toBe(404);
      expect(await response.json(), path.slice(0, 40)).toMatchObject({ code: "NotFound" });
    }
    // A page path, as any other page: the console's index.html, or the 404 saying it is not built.
    const page = await fetch(`${app.url}/licenses`);
    for (const path of ["/%00", `/${"a".repeat(5_000)}`, "/users/%00"]) {
      const response = await fetch(`${app.url}${path}`);
      expect(response.status, path.slice(0, 40)).toBe(page.status);
      expect(response.headers.get("content-type"), path.slice(0, 40)).toBe(page.headers.get("content-type"));
    }
  });
});
