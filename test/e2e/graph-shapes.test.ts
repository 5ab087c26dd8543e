// What Microsoft Graph's clients expect of every response, over real HTTP: Graph's error envelope
// beside RFC 9457 (its content type negotiated by Accept), request-id / client-request-id / Date,
// @odata.context and an absolute @odata.nextLink on collections, Graph's subscribedSku,
// licenseDetails and user fields, and request bodies as Graph's SDKs write them.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans, skus } from "../support/catalog-ids.js";
import { assertConformsToOpenApi } from "../support/contract.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GraphError {
  code: string;
  message: string;
  innerError: { date: string; "request-id": string; "client-request-id"?: string };
  details?: { code: string; message: string; target?: string }[];
}

/** Follows an absolute URL as a Graph client does (nextLink), checking the answer against the document. */
async function follow<T>(url: string, token: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  assertConformsToOpenApi({
    method: "GET",
    path: url,
    status: response.status,
    headers: response.headers,
    text,
  });
  return { status: response.status, body: JSON.parse(text) as T };
}

describe("Graph's error envelope", () => {
  const cases: [string, (t: Awaited<ReturnType<typeof newTenant>>) => Promise<[string, string, unknown]>][] =
    [
      [
        "CountViolation",
        async (t) => {
          await t.buy(skus.businessBasic, 1);
          const holder = await t.user();
          await t.assign(holder.id, { addLicenses: [{ skuId: skus.businessBasic }] });
          const user = await t.user();
          return [
            "POST",
            `/api/users/${user.id}/assignLicense`,
            { addLicenses: [{ skuId: skus.businessBasic }] },
          ];
        },
      ],
      ["NotFound", async () => ["GET", `/api/users/${randomUUID()}`, undefined]],
      [
        "ValidationFailed",
        async (t) => {
          const user = await t.user();
          return ["POST", `/api/users/${user.id}/assignLicense`, { addLicenses: [{ skuId: "not-a-guid" }] }];
        },
      ],
    ];

  for (const [code, arrange] of cases) {
    it(`answers a ${code} with Graph's error beside the RFC 9457 members, as application/json or problem+json as Accept asks`, async () => {
      const t = await newTenant(app);
      const [method, path, body] = await arrange(t);
      for (const [accept, contentType] of [
        [undefined, "application/json"],
        ["application/json", "application/json"],
        ["application/problem+json", "application/problem+json"],
        ["application/problem+json, application/json;q=0.5", "application/problem+json"],
      ] as const) {
        const clientRequestId = randomUUID();
        const response = await app.call<{ code: string; detail: string; status: number; error: GraphError }>(
          method,
          path,
          {
            token: t.admin,
            ...(body === undefined ? {} : { body }),
            headers: { "client-request-id": clientRequestId, ...(accept ? { accept } : {}) },
          },
        );
        expect(response.headers.get("content-type"), String(accept)).toBe(contentType);
        expect(response.body).toMatchObject({ code, title: expect.any(String), type: expect.any(String) });
        const { error } = response.body;
        expect(error.code).toBe(code);
        expect(error.message).toBe(response.body.detail);
        expect(error.innerError["request-id"]).toBe(response.headers.get("request-id"));
        expect(error.innerError["client-request-id"]).toBe(clientRequestId);
        expect(error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
        if (code === "ValidationFailed") {
          expect(error.details).toContainEqual({
            code: "ValidationFailed",
            message: expect.any(String),
            target: "addLicenses[0].skuId",
          });
        }
        if (code === "CountViolation") {
          expect(error.details).toEqual([
            {
              code: "CountViolation",
              message: expect.stringContaining("available"),
              target: skus.businessBasic,
            },
          ]);
        }
      }
    });
  }

  it("gives the local host's own refusals (no route, wrong method) the same envelope and headers", async () => {
    const clientRequestId = randomUUID();
    for (const [method, path, status, code] of [
      ["GET", "/api/nothing-here", 404, "NotFound"],
      ["PUT", "/api/subscribedSkus", 405, "MethodNotAllowed"],
    ] as const) {
      const response = await app.call<{ error: GraphError }>(method, path, {
        headers: { "client-request-id": clientRequestId },
      });
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(response.headers.get("request-id")).toMatch(guidPattern);
      expect(response.headers.get("client-request-id")).toBe(clientRequestId);
      expect(response.body.error).toMatchObject({
        code,
        innerError: {
          "request-id": response.headers.get("request-id"),
          "client-request-id": clientRequestId,
        },
      });
    }
  });
});

describe("request-id, client-request-id and Date", () => {
  it("are on a success and on an error, request-id a fresh GUID each time", async () => {
    const t = await newTenant(app);
    const seen = new Set<string>();
    for (const path of ["/api/subscribedSkus", `/api/users/${randomUUID()}`]) {
      const clientRequestId = `script-${randomUUID()}`;
      const response = await app.call("GET", path, {
        token: t.admin,
        headers: { "client-request-id": clientRequestId },
      });
      const requestId = response.headers.get("request-id") ?? "";
      expect(requestId, path).toMatch(guidPattern);
      expect(seen.has(requestId)).toBe(false);
      seen.add(requestId);
      expect(response.headers.get("client-request-id"), path).toBe(clientRequestId);
      expect(Date.parse(response.headers.get("date") ?? ""), path).not.toBeNaN();
    }
    const without = await t.call("GET", "/api/subscribedSkus");
    expect(without.headers.get("request-id")).toMatch(guidPattern);
    expect(without.headers.get("client-request-id")).toBeNull();
  });
});

describe("collections", () => {
  it("carry @odata.context for the path prefix used, and an absolute @odata.nextLink that pages through", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 10);
    const holders = [];
    for (let i = 0; i < 3; i++) holders.push(await t.user({ licenses: [{ skuId: skus.businessBasic }] }));

    const first = await t.call<{
      value: { id: string }[];
      "@odata.context": string;
      "@odata.nextLink"?: string;
    }>("GET", `/api/users?skuId=${skus.businessBasic}&top=2`);
    expect(first.body["@odata.context"]).toBe(`${app.url}/api/$metadata#users`);
    expect(first.body).not.toHaveProperty("nextLink");
    const nextLink = first.body["@odata.nextLink"] ?? "";
    expect(nextLink.startsWith(`${app.url}/api/users?`)).toBe(true);
    const second = await follow<{ value: { id: string }[]; "@odata.nextLink"?: string }>(nextLink, t.admin);
    expect(second.status).toBe(200);
    expect(second.body["@odata.nextLink"]).toBeUndefined();
    expect([...first.body.value, ...second.body.value].map((u) => u.id).sort()).toEqual(
      holders.map((u) => u.id).sort(),
    );

    const holder = holders[0]?.id ?? "";
    for (const [path, context] of [
      ["/api/subscribedSkus", "subscribedSkus"],
      ["/api/subscriptions", "subscriptions"],
      ["/api/skus", "skus"],
      [`/api/users/${holder}/licenseDetails`, `users('${holder}')/licenseDetails`],
    ] as const) {
      const response = await t.call<{ "@odata.context": string }>("GET", path);
      expect(response.body["@odata.context"], path).toBe(`${app.url}/api/$metadata#${context}`);
    }
  });
});

interface SubscribedSku {
  id: string;
  accountId: string;
  skuId: string;
  appliesTo: string;
  capabilityStatus: string;
  subscriptionIds: string[];
  servicePlans: { servicePlanId: string; appliesTo: string }[];
}

describe("Graph's shapes", () => {
  it("gives subscribedSkus id, accountId, appliesTo, capabilityStatus and subscriptionIds, and takes the id as key", async () => {
    const t = await newTenant(app);
    const first = await t.buy(skus.businessPremium, 5);
    const second = await t.buy(skus.businessPremium, 8);
    const list = await t.call<{ value: SubscribedSku[] }>("GET", "/api/subscribedSkus");
    const sku = list.body.value[0];
    expect(sku).toMatchObject({
      id: `${t.tenantId}_${skus.businessPremium}`,
      accountId: t.tenantId,
      appliesTo: "User",
      capabilityStatus: "Enabled",
    });
    expect(sku?.subscriptionIds.sort()).toEqual([first.id, second.id].sort());
    expect(sku?.servicePlans.every((plan) => plan.appliesTo === "User")).toBe(true);

    const byId = await t.call<SubscribedSku>("GET", `/api/subscribedSkus/${sku?.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(sku);
    const other = await newTenant(app);
    await other.buy(skus.businessPremium, 1);
    expect((await other.call("GET", `/api/subscribedSkus/${sku?.id}`)).status).toBe(404);

    // Graph: Enabled while any unit is enabled; otherwise the state of what is left.
    await t.call("PATCH", `/api/subscriptions/${first.id}`, { status: "Suspended" });
    expect(
      (await t.call<SubscribedSku>("GET", `/api/subscribedSkus/${skus.businessPremium}`)).body
        .capabilityStatus,
    ).toBe("Enabled");
    await t.call("PATCH", `/api/subscriptions/${second.id}`, { status: "Warning" });
    expect(
      (await t.call<SubscribedSku>("GET", `/api/subscribedSkus/${skus.businessPremium}`)).body
        .capabilityStatus,
    ).toBe("Warning");
    await t.call("PATCH", `/api/subscriptions/${second.id}`, { status: "LockedOut" });
    expect(
      (await t.call<SubscribedSku>("GET", `/api/subscribedSkus/${skus.businessPremium}`)).body
        .capabilityStatus,
    ).toBe("Suspended");
  });

  it("gives licenseDetails a stable id, and users assignedPlans and licenseAssignmentStates", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 2);
    await t.buy(skus.exchangePlan1, 2);
    const user = await t.user();
    const assigned = await t.assign(user.id, {
      addLicenses: [
        { skuId: skus.businessBasic, disabledPlans: [plans.EXCHANGE_S_STANDARD.servicePlanId] },
        { skuId: skus.exchangePlan1 },
      ],
    });
    expect(assigned.status).toBe(200);

    const details = async () =>
      (
        await t.call<{ value: { id: string; skuId: string }[] }>(
          "GET",
          `/api/users/${user.id}/licenseDetails`,
        )
      ).body.value;
    const once = await details();
    expect(once.map((d) => d.id)).toEqual((await details()).map((d) => d.id));
    expect(new Set(once.map((d) => d.id)).size).toBe(2);

    const read = await t.call<{
      assignedPlans: {
        assignedDateTime: string;
        capabilityStatus: string;
        service: string;
        servicePlanId: string;
      }[];
      licenseAssignmentStates: Record<string, unknown>[];
    }>("GET", `/api/users/${user.id}`);
    expect(read.body.assignedPlans).toContainEqual({
      assignedDateTime: expect.any(String),
      capabilityStatus: "Enabled",
      service: "exchange",
      servicePlanId: plans.EXCHANGE_S_STANDARD.servicePlanId,
    });
    expect(read.body.assignedPlans).toContainEqual(
      expect.objectContaining({ service: "SharePoint", capabilityStatus: "Enabled" }),
    );
    expect(read.body.licenseAssignmentStates).toEqual(
      expect.arrayContaining([
        {
          skuId: skus.businessBasic,
          disabledPlans: [plans.EXCHANGE_S_STANDARD.servicePlanId],
          state: "Active",
          error: null,
          assignedByGroup: null,
          lastUpdatedDateTime: expect.any(String),
        },
        expect.objectContaining({ skuId: skus.exchangePlan1, disabledPlans: [], state: "Active" }),
      ]),
    );
  });
});

describe("request bodies as Graph's SDKs send them", () => {
  it("take null lists and @odata.* annotations at any depth, and still refuse another unknown field", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 2);
    const user = await t.user();
    const graphStyle = await t.assign(user.id, {
      "@odata.type": "#microsoft.graph.assignLicense",
      addLicenses: [
        { "@odata.type": "#microsoft.graph.assignedLicense", skuId: skus.businessBasic, disabledPlans: null },
      ],
      removeLicenses: null,
    });
    expect(graphStyle.status).toBe(200);
    expect(graphStyle.body.assignedLicenses).toEqual([{ skuId: skus.businessBasic, disabledPlans: [] }]);

    const removal = await t.assign(user.id, { addLicenses: null, removeLicenses: [skus.businessBasic] });
    expect(removal.status).toBe(200);

    const unknown = await t.assign(user.id, {
      addLicenses: [{ skuId: skus.businessBasic, disabledPlans: null, color: "red" }],
      removeLicenses: null,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain("unknown field(s) color");
  });
});
