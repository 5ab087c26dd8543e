// POST /v1.0/$batch (and /api/$batch): Microsoft Graph's JSON batch, over real HTTP. Each inner
// response is checked against the OpenAPI document like any other response.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skus } from "../support/catalog-ids.js";
import { contractViolations } from "../support/contract.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

interface Step {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly dependsOn?: readonly string[];
}
interface Answer {
  readonly id: string;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: Record<string, unknown>;
}

const json = { "Content-Type": "application/json" };

async function batch(token: string | undefined, requests: readonly Step[], prefix = "/v1.0") {
  const response = await app.call<{ responses: Answer[]; code?: string; detail?: string }>(
    "POST",
    `${prefix}/$batch`,
    {
      ...(token ? { token } : {}),
      body: { requests },
    },
  );
  if (response.status !== 200) return { status: response.status, body: response.body, byId: new Map() };
  const byId = new Map(response.body.responses.map((answer) => [answer.id, answer]));
  for (const step of requests) {
    const answer = byId.get(step.id);
    // A 424 is the batch's answer for the request, and an absolute url names no path of ours.
    if (!answer || answer.status === 424 || /^[a-z]+:/i.test(step.url)) continue;
    // The answer is what the route documents, as if the request had been sent alone.
    const path = `${prefix}/${step.url.replace(/^\/(v1\.0\/)?/, "")}`;
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    expect(
      contractViolations({
        method: step.method,
        path,
        status: answer.status,
        headers: new Headers(answer.headers),
        text,
      }),
      `${step.method} ${path}`,
    ).toEqual([]);
  }
  return { status: response.status, body: response.body, byId };
}

const newUser = (id: string): Step => ({
  id,
  method: "POST",
  url: "/users",
  headers: json,
  body: { userPrincipalName: `u${randomUUID().slice(0, 8)}@contoso.example`, displayName: `User ${id}` },
});
const assign = (
  id: string,
  userId: string,
  skuId = skus.businessStandard,
  extra: Partial<Step> = {},
): Step => ({
  id,
  method: "POST",
  url: `users/${userId}/assignLicense`,
  headers: json,
  body: { addLicenses: [{ skuId, disabledPlans: [] }], removeLicenses: [] },
  ...extra,
});

describe("POST /v1.0/$batch", () => {
  it("runs 20 requests and answers each one by its id, with its status, headers and JSON body", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 25);
    const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));
    const created = await batch(tenant.admin, ids.map(newUser));
    expect(created.status).toBe(200);
    expect(created.body.responses.map((answer: Answer) => answer.id).sort()).toEqual([...ids].sort());
    const userIds = ids.map((id) => {
      const answer = created.byId.get(id);
      expect(answer?.status, id).toBe(201);
      expect(answer?.headers.Location, id).toMatch(/\/users\//);
      expect(typeof answer?.body, id).toBe("object");
      return String(answer?.body?.id);
    });

    const assigned = await batch(
      tenant.admin,
      userIds.map((userId, i) => assign(String(i + 1), userId)),
    );
    expect([...assigned.byId.values()].map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(await tenant.sku(skus.businessStandard)).toMatchObject({ consumedUnits: 20, availableUnits: 5 });
  });

  it("refuses 21 requests with 400, as Graph does, and runs none of them", async () => {
    const tenant = await newTenant(app);
    const refused = await batch(
      tenant.admin,
      Array.from({ length: 21 }, (_, i) => newUser(String(i + 1))),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: "ValidationFailed" });
    expect(String(refused.body.detail)).toContain("at most 20 requests");
    expect((await tenant.call<{ value: unknown[] }>("GET", "/api/users")).body.value).toEqual([]);
  });

  it("refuses duplicate ids, a dependsOn on an unknown id and a cycle with 400, naming them", async () => {
    const tenant = await newTenant(app);
    const get = (id: string, dependsOn?: string[]): Step => ({
      id,
      method: "GET",
      url: "/subscribedSkus",
      ...(dependsOn ? { dependsOn } : {}),
    });
    const duplicate = await batch(tenant.admin, [get("1"), get("2"), get("1")]);
    expect(duplicate.status).toBe(400);
    expect(String(duplicate.body.detail)).toMatch(
      /requests\[2\]\.id: the id 1 is used by an earlier request/,
    );
    const unknown = await batch(tenant.admin, [get("1", ["7"])]);
    expect(unknown.status).toBe(400);
    expect(String(unknown.body.detail)).toMatch(/depends on 7, which is not a request of this batch/);
    const cycle = await batch(tenant.admin, [get("1", ["3"]), get("2", ["1"]), get("3", ["2"]), get("4")]);
    expect(cycle.status).toBe(400);
    expect(String(cycle.body.detail)).toMatch(/requests 1, 2, 3 form a cycle/);
  });

  it("authorises each request with the batch's token, as if sent alone: a missing right is that request's 403", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 5);
    const user = await tenant.user();
    const licenseAdmin = await app.token(tenant.tenantId, { roles: ["LicenseAdministrator"] });
    const answers = await batch(licenseAdmin, [
      { id: "read", method: "GET", url: "subscribedSkus" },
      {
        id: "buy",
        method: "POST",
        url: "subscriptions",
        headers: json,
        body: { skuId: skus.businessStandard, seats: 5 },
      },
      // An Authorization header of its own is not used: the batch's token is.
      assign("assign", user.id, skus.businessStandard, {
        headers: { ...json, Authorization: `Bearer ${tenant.admin}` },
      }),
    ]);
    expect(answers.status).toBe(200);
    expect(answers.byId.get("read")?.status).toBe(200);
    expect(answers.byId.get("buy")).toMatchObject({ status: 403, body: { code: "Forbidden" } });
    expect(answers.byId.get("assign")?.status).toBe(200);
    expect((await tenant.sku(skus.businessStandard)).prepaidUnits.enabled).toBe(5);

    const serviceAdmin = await app.token(tenant.tenantId, { roles: ["ServiceAdministrator"] });
    const nothingAllowed = await batch(serviceAdmin, [{ id: "1", method: "GET", url: "subscribedSkus" }]);
    expect(nothingAllowed.byId.get("1")?.status).toBe(403);
  });

  it("needs a valid token itself", async () => {
    const requests = [{ id: "1", method: "GET", url: "subscribedSkus" }];
    expect((await batch(undefined, requests)).status).toBe(401);
    const expired = await app.token(randomUUID(), { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    expect((await batch(expired, requests)).status).toBe(401);
  });

  it("answers a failing request beside succeeding ones with its own problem, and commits only the successes", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.businessStandard, 1);
    const [first, second] = [await tenant.user(), await tenant.user()];
    const answers = await batch(tenant.admin, [
      assign("ok", first.id),
      assign("missing", randomUUID()),
      { id: "invalid", method: "POST", url: "/users", headers: json, body: { displayName: "No UPN" } },
      { id: "noRoute", method: "GET", url: "/applications" },
      { id: "read", method: "GET", url: `/users/${second.id}` },
    ]);
    expect(answers.status).toBe(200);
    expect(answers.byId.get("ok")?.status).toBe(200);
    expect(answers.byId.get("missing")).toMatchObject({ status: 404, body: { code: "NotFound" } });
    expect(answers.byId.get("invalid")).toMatchObject({ status: 400, body: { code: "ValidationFailed" } });
    expect(answers.byId.get("noRoute")).toMatchObject({ status: 404, body: { code: "NotFound" } });
    expect(answers.byId.get("read")?.status).toBe(200);
    expect(answers.byId.get("invalid")?.headers["Content-Type"]).toMatch(/json/);

    const full = await batch(tenant.admin, [assign("1", second.id)]);
    expect(full.byId.get("1")).toMatchObject({ status: 409, body: { code: "CountViolation" } });
    expect(await tenant.sku(skus.businessStandard)).toMatchObject({ consumedUnits: 1, availableUnits: 0 });
  });

  it("runs a dependsOn request after those it names, and answers 424 when one of them failed", async () => {
    const tenant = await newTenant(app);
    const subscription = await tenant.buy(skus.businessStandard, 1);
    await tenant.call("PATCH", `/api/subscriptions/${subscription.id}`, { seats: 1 });
    const [a, b] = [await tenant.user(), await tenant.user()];
    const unassign = (id: string, userId: string, dependsOn: string[]): Step => ({
      id,
      method: "POST",
      url: `/users/${userId}/assignLicense`,
      headers: json,
      body: { addLicenses: [], removeLicenses: [skus.businessStandard] },
      dependsOn,
    });
    // One seat: each step can only succeed once the one before it has run.
    const chain = await batch(tenant.admin, [
      assign("4", b.id, skus.businessStandard, { dependsOn: ["3"] }),
      unassign("3", a.id, ["2"]),
      assign("2", a.id, skus.businessStandard, { dependsOn: ["1"] }),
      unassign("1", b.id, []),
    ]);
    expect(["1", "2", "3", "4"].map((id) => chain.byId.get(id)?.status)).toEqual([200, 200, 200, 200]);
    expect((await tenant.call("GET", `/api/users/${b.id}`)).body.assignedLicenses).toHaveLength(1);

    const failed = await batch(tenant.admin, [
      assign("fails", randomUUID()),
      assign("after", a.id, skus.businessStandard, { dependsOn: ["fails"] }),
      { id: "afterThat", method: "GET", url: "subscribedSkus", dependsOn: ["after"] },
      { id: "independent", method: "GET", url: "subscribedSkus" },
    ]);
    expect(failed.byId.get("fails")?.status).toBe(404);
    for (const id of ["after", "afterThat"]) {
      expect(failed.byId.get(id), id).toMatchObject({ status: 424, body: { code: "FailedDependency" } });
    }
    expect(String(failed.byId.get("after")?.body?.detail)).toContain("request fails");
    expect(failed.byId.get("independent")?.status).toBe(200);
    expect((await tenant.call("GET", `/api/users/${a.id}`)).body.assignedLicenses).toEqual([]);
  });

  it("needs a Content-Type header with a body, as Graph does", async () => {
    const tenant = await newTenant(app);
    const answers = await batch(tenant.admin, [{ ...newUser("1"), headers: {} }]);
    expect(answers.byId.get("1")).toMatchObject({ status: 400, body: { code: "ValidationFailed" } });
    expect(String(answers.byId.get("1")?.body?.detail)).toContain("Content-Type");
  });

  it("takes urls with or without a leading slash or the version, refuses absolute and nested ones, and works under /api too", async () => {
    const tenant = await newTenant(app);
    const answers = await batch(tenant.admin, [
      { id: "plain", method: "GET", url: "subscribedSkus" },
      { id: "slash", method: "GET", url: "/subscribedSkus" },
      { id: "sdk", method: "GET", url: "/v1.0/subscribedSkus" },
      { id: "absolute", method: "GET", url: "https://graph.microsoft.com/v1.0/subscribedSkus" },
      { id: "nested", method: "POST", url: "$batch", headers: json, body: { requests: [] } },
      { id: "health", method: "GET", url: "health" },
    ]);
    expect(["plain", "slash", "sdk"].map((id) => answers.byId.get(id)?.status)).toEqual([200, 200, 200]);
    expect(answers.byId.get("absolute")?.status).toBe(400);
    expect(answers.byId.get("nested")?.status).toBe(400);
    expect(answers.byId.get("health")?.status).toBe(404);
    const underApi = await batch(tenant.admin, [{ id: "1", method: "get", url: "health" }], "/api");
    expect(underApi.byId.get("1")?.status).toBe(200);
  });
});
