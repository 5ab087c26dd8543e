// Input that must be refused with a 4xx that says why, and answers that must not surprise: malformed
// continuation tokens, ill-formed text, bulk requests assignLicense would refuse, bodies of routes
// that take none, bearer schemes in any case, outcomes that tell "changed" from "already so", and
// seats an administrator can really assign.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoTenant } from "../../local/seed.js";
import { plans, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

describe("malformed skipTokens", () => {
  it("answers 400 ValidationFailed, never 500, for every malformed users skipToken", async () => {
    const t = await newTenant(app);
    await t.user();
    const tokens = [
      // JSON escapes of lone surrogates: the SDK's encodeURIComponent throws URIError on them.
      base64('{"nextPartitionKey":"\\ud800","nextRowKey":"x"}'),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"user|\\udc00"}`),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"user|\\u0000"}`),
      base64(`{"nextPartitionKey":"${t.tenantId}","nextRowKey":"us\u00e9r"}`),
      base64("null"),
      base64("[]"),
      base64('{"nextPartitionKey":1,"nextRowKey":"x"}'),
      "not base64 at all!",
      "%00",
      "",
    ];
    for (const token of tokens) {
      const response = await t.call("GET", `/api/users?skipToken=${encodeURIComponent(token)}`);
      expect(response.status, token).toBe(400);
      expect(response.body.code, token).toBe("ValidationFailed");
      expect(response.body.detail, token).toMatch(/skipToken/);
    }
  });

  it("answers 400 for a jobs skipToken that is not a nextLink's", async () => {
    const t = await newTenant(app);
    for (const token of ["", "x", "-1", "1e3", "\u0000", "1234567"]) {
      const response = await t.call(
        "GET",
        `/api/jobs/${randomUUID()}?skipToken=${encodeURIComponent(token)}`,
      );
      expect(response.status, token).toBe(400);
      expect(response.body.code, token).toBe("ValidationFailed");
    }
  });
});

describe("ill-formed text", () => {
  it("refuses a userPrincipalName with NUL, control characters, lone surrogates or no alias@domain shape", async () => {
    const t = await newTenant(app);
    const upns = [
      "a\u0000b@contoso.example",
      "a\u0007b@contoso.example",
      "\ud800@contoso.example",
      "\udc00@contoso.example",
      "n\u00efna@contoso.example",
      "nina.@contoso.example",
      "nina@contoso..example",
      "nina@contoso.example\u0085",
    ];
    for (const userPrincipalName of upns) {
      const response = await t.call("POST", "/api/users", { userPrincipalName, displayName: "Nina" });
      expect(response.status, JSON.stringify(userPrincipalName)).toBe(400);
      expect(response.body.code).toBe("ValidationFailed");
      expect(response.body.errors).toEqual([
        { path: "userPrincipalName", message: expect.stringMatching(/alias@domain/) },
      ]);
    }
    // Graph's own characters remain allowed.
    const allowed = await t.call("POST", "/api/users", {
      userPrincipalName: "o'brien_2.x-y!#^~@mail.contoso-1.example",
      displayName: "O'Brien",
    });
    expect(allowed.status).toBe(201);
  });

  it("refuses a displayName or deviceName with NUL, control characters or lone surrogates", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    for (const displayName of ["Nina\u0000", "Nina\u0007", "\ud800Nina", "Nina\udfff", "a\u009fb"]) {
      const label = JSON.stringify(displayName);
      const created = await t.call("POST", "/api/users", {
        userPrincipalName: `n${randomUUID().slice(0, 8)}@contoso.example`,
        displayName,
      });
      expect(created.status, label).toBe(400);
      expect(created.body.errors, label).toEqual([
        { path: "displayName", message: expect.stringMatching(/control characters|Unicode/) },
      ]);
      const patched = await t.call("PATCH", `/api/users/${user.id}`, { displayName });
      expect(patched.status, label).toBe(400);
      const install = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
        deviceName: displayName,
        platform: "Windows",
      });
      expect(install.status, label).toBe(400);
      expect(install.body.errors, label).toEqual([
        { path: "deviceName", message: expect.stringMatching(/control characters|Unicode/) },
      ]);
    }
    // Emoji (surrogate pairs) and other scripts are well-formed text.
    const named = await t.call("PATCH", `/api/users/${user.id}`, {
      displayName: "Ni\u00f1a \ud83d\ude80 \u5f20",
    });
    expect(named.status).toBe(204);
  });

  it("refuses a JSON body that is not valid UTF-8", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const response = await fetch(`${app.url}/api/users/${user.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${t.admin}`, "content-type": "application/json" },
      body: Buffer.concat([Buffer.from('{"displayName":"N'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/UTF-8/);
  });
});

describe("bulk requests that assignLicense would refuse", () => {
  it("refuses duplicate skuIds and unknown service plans up front with assignLicense's 400", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const user = await t.user();
    const requests = [
      [{ skuId: skus.e3 }, { skuId: skus.e3.toUpperCase() }],
      [{ skuId: skus.e3, disabledPlans: [randomUUID()] }],
      [{ skuId: skus.e3, disabledPlans: [plans.SHAREPOINTSTANDARD.servicePlanId] }],
    ];
    for (const licenses of requests) {
      const single = await t.assign(user.id, { addLicenses: licenses });
      expect(single.status).toBe(400);
      for (const operation of ["add", "replace", "remove"]) {
        const bulk = await t.call("POST", "/api/licenses/bulk", { userIds: [user.id], operation, licenses });
        expect(bulk.status, operation).toBe(400);
        expect(bulk.body.code).toBe(single.body.code);
        expect(bulk.body.detail).toBe(String(single.body.detail).replaceAll("addLicenses", "licenses"));
      }
    }
    const unknownSku = [{ skuId: randomUUID() }];
    const single = await t.assign(user.id, { addLicenses: unknownSku });
    const bulk = await t.call("POST", "/api/licenses/bulk", {
      userIds: [user.id],
      operation: "add",
      licenses: unknownSku,
    });
    expect([bulk.status, bulk.body.code]).toEqual([single.status, single.body.code]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(0);
  });

  it("refuses unknown disabledPlans of a product-centric assign up front", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const user = await t.user();
    const response = await t.call("POST", `/api/subscribedSkus/${skus.e3}/assign`, {
      userIds: [user.id],
      disabledPlans: [plans.SHAREPOINTSTANDARD.servicePlanId],
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe("ValidationFailed");
    expect(response.body.detail).toContain("has no service plan");
  });

  it("tells a replace with no licenses to use removeAll", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const response = await t.call("POST", "/api/licenses/bulk", {
      userIds: [user.id],
      operation: "replace",
      licenses: [],
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/removeAll/);
  });
});

describe("routes that take no body", () => {
  const routesWithoutBody = [
    (id: string) => `/api/subscriptions/${id}/takeOver`,
    (id: string) => `/api/users/${id}/restore`,
    (id: string) => `/api/jobs/${id}/retry`,
  ];

  it("apply the body rules of every route: 413, 415, 400 for malformed JSON or unknown fields", async () => {
    const t = await newTenant(app);
    for (const route of routesWithoutBody) {
      const path = route(randomUUID());
      const json = { "content-type": "application/json" };
      const huge = await app.call("POST", path, {
        token: t.admin,
        rawBody: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
        headers: json,
      });
      expect(huge.status, path).toBe(413);
      const text = await app.call("POST", path, {
        token: t.admin,
        rawBody: "hello",
        headers: { "content-type": "text/plain" },
      });
      expect(text.status, path).toBe(415);
      const malformed = await app.call("POST", path, { token: t.admin, rawBody: "{ nope", headers: json });
      expect([malformed.status, malformed.body.detail], path).toEqual([
        400,
        "Malformed JSON in request body.",
      ]);
      const unknown = await t.call("POST", path, { force: true });
      expect(unknown.status, path).toBe(400);
      expect(unknown.body.detail, path).toContain("force");
      // An empty body or {} is fine: the route goes on to find nothing.
      expect((await app.call("POST", path, { token: t.admin })).status, path).toBe(404);
      expect((await t.call("POST", path, {})).status, path).toBe(404);
    }
  });
});

describe("bearer tokens", () => {
  it("accepts the Bearer scheme in any case (RFC 7235)", async () => {
    const t = await newTenant(app);
    for (const scheme of ["bearer", "BEARER", "Bearer"]) {
      const response = await app.call("GET", "/api/subscribedSkus", {
        headers: { authorization: `${scheme} ${t.admin}` },
      });
      expect(response.status, scheme).toBe(200);
    }
  });
});

interface UserResults {
  value: { userId: string; outcome: string; code?: string }[];
}

describe("product-centric outcomes", () => {
  it("keeps a holder's disabledPlans unless the request gives some, and says Unchanged", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const disabled = [plans.SWAY.servicePlanId];
    const holder = await t.user({ licenses: [{ skuId: skus.e3, disabledPlans: disabled }] });
    const newcomer = await t.user();
    const path = `/api/subscribedSkus/${skus.e3}/assign`;

    const assigned = await t.call<UserResults>("POST", path, { userIds: [holder.id, newcomer.id] });
    expect(assigned.status).toBe(200);
    expect(assigned.body.value).toEqual([
      { userId: holder.id, outcome: "Unchanged" },
      { userId: newcomer.id, outcome: "Succeeded" },
    ]);
    const kept = await t.call<{ assignedLicenses: unknown[] }>("GET", `/api/users/${holder.id}`);
    expect(kept.body.assignedLicenses).toEqual([{ skuId: skus.e3, disabledPlans: disabled }]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(2);

    const changed = await t.call<UserResults>("POST", path, { userIds: [holder.id], disabledPlans: [] });
    expect(changed.body.value).toEqual([{ userId: holder.id, outcome: "Succeeded" }]);
    const now = await t.call<{ assignedLicenses: unknown[] }>("GET", `/api/users/${holder.id}`);
    expect(now.body.assignedLicenses).toEqual([{ skuId: skus.e3, disabledPlans: [] }]);

    const same = await t.call<UserResults>("POST", path, { userIds: [holder.id], disabledPlans: [] });
    expect(same.body.value).toEqual([{ userId: holder.id, outcome: "Unchanged" }]);
  });

  it("says Unchanged when unassigning from a user who does not hold the product", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const holder = await t.user({ licenses: [{ skuId: skus.e3 }] });
    const other = await t.user();
    const missing = randomUUID();
    const response = await t.call<UserResults>("POST", `/api/subscribedSkus/${skus.e3}/unassign`, {
      userIds: [holder.id, other.id, missing],
    });
    expect(response.body.value.map((r) => r.code ?? r.outcome)).toEqual([
      "Succeeded",
      "Unchanged",
      "NotFound",
    ]);
  });
});

describe("seats an administrator can assign", () => {
  it("counts only assignable seats in availableUnits and shows self-service seats apart", async () => {
    const t = await newTenant(app);
    await t.buy(skus.exchangePlan1, 2, "SelfService");
    await t.buy(skus.exchangePlan1, 3);
    const sku = await t.sku(skus.exchangePlan1);
    expect(sku).toMatchObject({
      prepaidUnits: { enabled: 3 },
      consumedUnits: 0,
      availableUnits: 3,
      selfServiceUnits: { enabled: 2, consumed: 0 },
    });
    // The seat check agrees with what is shown: three assignments succeed, the fourth does not.
    for (let i = 0; i < 3; i++) {
      const user = await t.user();
      expect((await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] })).status).toBe(200);
    }
    const fourth = await t.user();
    const refused = await t.assign(fourth.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    expect(refused.status).toBe(409);
    expect(await t.sku(skus.exchangePlan1)).toMatchObject({ consumedUnits: 3, availableUnits: 0 });
  });

  it("shows the seeds' examples: 24 of 25 available, and the self-service seats apart", async () => {
    const tenantId = randomUUID();
    await seedDemoTenant(app.services.deps, tenantId);
    const token = await app.token(tenantId);
    const listed = await app.call<{ value: Record<string, unknown>[] }>("GET", "/api/subscribedSkus", {
      token,
    });
    const bySku = new Map(listed.body.value.map((row) => [row.skuId, row]));
    expect(bySku.get(skus.businessStandard)).toMatchObject({
      prepaidUnits: { enabled: 25 },
      consumedUnits: 1,
      availableUnits: 24,
      selfServiceUnits: { enabled: 0, consumed: 0 },
    });
    expect(bySku.get(skus.businessPremium)).toMatchObject({
      prepaidUnits: { enabled: 13 },
      availableUnits: 13,
    });
    expect(bySku.get(skus.exchangePlan1)).toMatchObject({
      prepaidUnits: { enabled: 0 },
      availableUnits: 0,
      selfServiceUnits: { enabled: 2, consumed: 0 },
    });
  });
});
