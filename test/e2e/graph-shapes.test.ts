// What Microsoft Graph's clients expect of every response, over real HTTP: Graph's error envelope
// beside RFC 9457 (its content type negotiated by Accept), request-id / client-request-id / Date,
// @odata.context on collections and single entities and an absolute @odata.nextLink, Graph's
// subscribedSku, licenseDetails and user fields, PATCH's 204, and request bodies as Graph's SDKs
// and docs write them.
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { plans, skus } from "../support/catalog-ids.js";
import { assertConformsToOpenApi } from "../support/contract.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
/** The app's own table, to look at what it stores. */
const tableName = `t${randomUUID().replaceAll("-", "")}`;
beforeAll(async () => {
  app = await startTestApp({ triggers: false, env: { TABLES_TABLE_NAME: tableName } });
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
  });

  it("make a client-request-id GUID, as Graph does, for a request that sends none, and put it in innerError", async () => {
    const t = await newTenant(app);
    const made = new Set<string>();
    for (const path of ["/api/subscribedSkus", `/api/users/${randomUUID()}`, "/api/nothing-here"]) {
      const response = await t.call<{ error?: GraphError }>("GET", path);
      const clientRequestId = response.headers.get("client-request-id") ?? "";
      expect(clientRequestId, path).toMatch(guidPattern);
      expect(clientRequestId).not.toBe(response.headers.get("request-id"));
      made.add(clientRequestId);
      if (response.status >= 400)
        expect(response.body.error?.innerError["client-request-id"]).toBe(clientRequestId);
    }
    expect(made.size).toBe(3);
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
  accountName: string;
  skuId: string;
  appliesTo: string;
  capabilityStatus: string;
  subscriptionIds: string[];
  servicePlans: { servicePlanId: string; appliesTo: string; provisioningStatus: string }[];
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
    expect(byId.body).toEqual({
      "@odata.context": `${app.url}/api/$metadata#subscribedSkus/$entity`,
      ...sku,
    });
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
          error: "None",
          assignedByGroup: null,
          lastUpdatedDateTime: expect.any(String),
        },
        expect.objectContaining({ skuId: skus.exchangePlan1, disabledPlans: [], state: "Active" }),
      ]),
    );
  });
});

describe("subscribedSkus as Graph gives them", () => {
  it("name the account, and give each service plan a provisioningStatus that follows the product's state", async () => {
    const t = await newTenant(app);
    const { id } = await t.buy(skus.businessBasic, 3);
    const read = async () =>
      (await t.call<SubscribedSku>("GET", `/api/subscribedSkus/${skus.businessBasic}`)).body;

    const enabled = await read();
    expect(enabled.accountName).toBe(t.tenantId);
    expect(enabled.servicePlans.length).toBeGreaterThan(0);
    expect(new Set(enabled.servicePlans.map((plan) => plan.provisioningStatus))).toEqual(
      new Set(["Success"]),
    );
    const listed = await t.call<{ value: SubscribedSku[] }>("GET", "/api/subscribedSkus");
    expect(listed.body.value[0]).toMatchObject({
      accountName: t.tenantId,
      servicePlans: enabled.servicePlans,
    });

    await t.call("PATCH", `/api/subscriptions/${id}`, { status: "Warning" });
    expect((await read()).servicePlans.every((plan) => plan.provisioningStatus === "Success")).toBe(true);
    await t.call("PATCH", `/api/subscriptions/${id}`, { status: "Suspended" });
    expect((await read()).servicePlans.every((plan) => plan.provisioningStatus === "Disabled")).toBe(true);
  });
});

interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  mailNickname: string | null;
  businessPhones: string[];
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  jobTitle: string | null;
  mobilePhone: string | null;
  officeLocation: string | null;
  preferredLanguage: string | null;
  assignedLicenses: { skuId: string }[];
  "@odata.context"?: string;
}

/** Graph's default profile properties of a user none of them was given to. */
const unsetProfile = {
  businessPhones: [],
  givenName: null,
  surname: null,
  mail: null,
  jobTitle: null,
  mobilePhone: null,
  officeLocation: null,
  preferredLanguage: null,
};

describe("creating a user with Graph's own body", () => {
  const password = `Pw-${randomUUID()}`;
  const graphBody = (userPrincipalName: string) => ({
    accountEnabled: true,
    displayName: "Adele Vance",
    mailNickname: "AdeleV",
    userPrincipalName,
    passwordProfile: { forceChangePasswordNextSignIn: true, password },
  });

  it("takes accountEnabled, mailNickname and passwordProfile, and stores no password", async () => {
    const t = await newTenant(app);
    const created = await t.call<GraphUser>("POST", "/api/users", graphBody("AdeleV@contoso.example"));

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountEnabled: true, mailNickname: "AdeleV", ...unsetProfile });
    expect(created.body).not.toHaveProperty("passwordProfile");
    const read = await t.call<GraphUser>("GET", `/api/users/${created.body.id}`);
    expect(read.body).toMatchObject({ accountEnabled: true, mailNickname: "AdeleV" });

    // Nothing the tenant's records hold (the user, its sign-in name, the audit line) has the password.
    const table = TableClient.fromConnectionString(inject("tablesConnection"), tableName, {
      allowInsecureConnection: true,
    });
    let rows = 0;
    for await (const row of table.listEntities({
      queryOptions: { filter: `PartitionKey eq '${t.tenantId}'` },
    })) {
      rows++;
      expect(JSON.stringify(row)).not.toContain(password);
    }
    expect(rows).toBeGreaterThan(2);
  });

  it("refuses a passwordProfile that is not Graph's, saying where, without echoing the password", async () => {
    const t = await newTenant(app);
    for (const [passwordProfile, target] of [
      [{ forceChangePasswordNextSignIn: true }, "passwordProfile.password"],
      [{ password: 12345678 }, "passwordProfile.password"],
      [
        { password, forceChangePasswordNextSignInWithMfa: "yes" },
        "passwordProfile.forceChangePasswordNextSignInWithMfa",
      ],
      [{ password, expires: "never" }, "passwordProfile"],
    ] as const) {
      const refused = await t.call<{ detail: string; error: GraphError }>("POST", "/api/users", {
        ...graphBody(`a${randomUUID().slice(0, 8)}@contoso.example`),
        passwordProfile,
      });
      expect(refused.status, target).toBe(400);
      expect(
        refused.body.error.details?.map((d) => d.target),
        target,
      ).toContain(target);
      expect(JSON.stringify(refused.body)).not.toContain(password);
    }
  });

  it("keeps a blocked user's licenses, shows accountEnabled and lets PATCH unblock them", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const created = await t.call<GraphUser>("POST", "/api/users", {
      ...graphBody("lynne@contoso.example"),
      accountEnabled: false,
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(created.body).toMatchObject({
      accountEnabled: false,
      assignedLicenses: [{ skuId: skus.businessBasic }],
    });

    const path = `/api/users/${created.body.id}`;
    expect((await t.call("PATCH", path, { accountEnabled: true })).status).toBe(204);
    const read = await t.call<GraphUser>("GET", path);
    expect(read.body).toMatchObject({
      accountEnabled: true,
      assignedLicenses: [{ skuId: skus.businessBasic }],
    });
    expect((await t.call("PATCH", path, { accountEnabled: false })).status).toBe(204);
    expect((await t.call<GraphUser>("GET", path)).body.accountEnabled).toBe(false);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(1);
  });
});

describe("a user's default properties", () => {
  it("are taken on creation, returned (null or [] when unset), changed and cleared by PATCH, listed and selectable", async () => {
    const t = await newTenant(app);
    const bare = await t.user();
    expect(bare).toMatchObject({ accountEnabled: true, ...unsetProfile });
    expect((bare as unknown as GraphUser).mailNickname).toBe(bare.userPrincipalName.split("@")[0]);

    const profile = {
      givenName: "Megan",
      surname: "Bowen",
      mail: "megan@contoso.example",
      jobTitle: "Marketing Manager",
      mobilePhone: "+1 412 555 0109",
      officeLocation: "12/1110",
      preferredLanguage: "en-US",
      businessPhones: ["+1 412 555 0109"],
    };
    const created = await t.call<GraphUser>("POST", "/api/users", {
      userPrincipalName: "megan@contoso.example",
      displayName: "Megan Bowen",
      ...profile,
    });
    expect(created.body).toMatchObject(profile);
    const path = `/api/users/${created.body.id}`;
    expect((await t.call<GraphUser>("GET", path)).body).toMatchObject(profile);

    const changed = await t.call("PATCH", path, { jobTitle: "CMO", mobilePhone: null, businessPhones: [] });
    expect(changed.status).toBe(204);
    const after = { ...profile, jobTitle: "CMO", mobilePhone: null, businessPhones: [] };
    expect((await t.call<GraphUser>("GET", path)).body).toMatchObject(after);

    const listed = await t.call<{ value: GraphUser[] }>(
      "GET",
      "/api/users?$filter=startswith(displayName,'Megan')",
    );
    expect(listed.body.value).toEqual([expect.objectContaining(after)]);
    const listSelected = await t.call<Record<string, unknown>>("GET", "/api/users?$select=givenName,surname");
    expect(listSelected.body["@odata.context"]).toBe(`${app.url}/api/$metadata#users(givenName,surname)`);
    const selected = await t.call<Record<string, unknown>>("GET", `${path}?$select=givenName,businessPhones`);
    expect(selected.body).toEqual({
      "@odata.context": `${app.url}/api/$metadata#users(givenName,businessPhones)/$entity`,
      id: created.body.id,
      givenName: "Megan",
      businessPhones: [],
    });

    const refused = await t.call<{ error: GraphError }>("PATCH", path, {
      businessPhones: ["+1 1", "+1 2"],
      preferredLanguage: "English",
      mail: "not-an-address",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.map((d) => d.target).sort()).toEqual([
      "businessPhones",
      "mail",
      "preferredLanguage",
    ]);
  });
});

describe("PATCH /users/{id}", () => {
  it("answers 204 as Graph does, and 200 with the user when Prefer asks for return=representation", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const patch = (body: unknown, headers: Record<string, string> = {}) =>
      app.call<GraphUser>("PATCH", path, { token: t.admin, body, headers });

    const minimal = await patch({ displayName: "Renamed" });
    expect(minimal.status).toBe(204);
    expect(minimal.headers.get("etag")).toBe((await t.call("GET", path)).headers.get("etag"));
    expect((await patch({ jobTitle: "x" }, { Prefer: "return=minimal" })).status).toBe(204);

    const full = await patch(
      { displayName: "Renamed again" },
      { Prefer: "odata.maxpagesize=5, return=representation" },
    );
    expect(full.status).toBe(200);
    expect(full.headers.get("preference-applied")).toBe("return=representation");
    expect(full.body).toMatchObject({
      "@odata.context": `${app.url}/api/$metadata#users/$entity`,
      id: user.id,
      displayName: "Renamed again",
      jobTitle: "x",
    });
  });
});

describe("licenseDetails/{id}", () => {
  it("serves one of a user's licenses by the id the list gives, and NotFound for any other id", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 2);
    await t.buy(skus.exchangePlan1, 2);
    const user = await t.user({ licenses: [{ skuId: skus.businessBasic }, { skuId: skus.exchangePlan1 }] });
    const other = await t.user({ licenses: [{ skuId: skus.businessBasic }] });
    const list = async (userId: string) =>
      (await t.call<{ value: { id: string; skuId: string }[] }>("GET", `/api/users/${userId}/licenseDetails`))
        .body.value;
    const listed = await list(user.id);
    expect(listed).toHaveLength(2);

    for (const details of listed) {
      for (const key of [user.id, user.userPrincipalName]) {
        const one = await t.call("GET", `/v1.0/users/${key}/licenseDetails/${details.id}`);
        expect(one.status).toBe(200);
        expect(one.body).toEqual({
          "@odata.context": `${app.url}/v1.0/$metadata#users('${key.toLowerCase()}')/licenseDetails/$entity`,
          ...details,
        });
      }
    }
    const reader = await app.token(t.tenantId, { roles: ["BillingAdministrator"] });
    const [first] = listed;
    const asReader = await app.call("GET", `/api/users/${user.id}/licenseDetails/${first?.id}`, {
      token: reader,
    });
    expect(asReader.status).toBe(200);

    const [othersLicense] = await list(other.id);
    for (const id of [othersLicense?.id, first?.id.toLowerCase(), skus.businessBasic, "nothing"]) {
      const missing = await t.call<{ code: string; detail: string }>(
        "GET",
        `/api/users/${user.id}/licenseDetails/${id}`,
      );
      expect([missing.status, missing.body.code], id).toEqual([404, "NotFound"]);
      expect(missing.body.detail).toMatch(/License details .* was not found/);
    }
    const noUser = await t.call<{ code: string }>(
      "GET",
      `/api/users/${randomUUID()}/licenseDetails/${first?.id}`,
    );
    expect([noUser.status, noUser.body.code]).toEqual([404, "NotFound"]);
    const noRights = await app.token(t.tenantId, { roles: ["PasswordAdministrator"] });
    const refused = await app.call("GET", `/api/users/${user.id}/licenseDetails/${first?.id}`, {
      token: noRights,
    });
    expect(refused.status).toBe(403);
  });
});

describe("single entities", () => {
  it("carry @odata.context <base>/$metadata#<entity set>/$entity on every GET, POST and PATCH that returns one", async () => {
    const t = await newTenant(app);
    const withPrefer = (method: string, path: string, body?: unknown) =>
      app.call<Record<string, unknown>>(method, path, {
        token: t.admin,
        ...(body === undefined ? {} : { body }),
        headers: { Prefer: "return=representation" },
      });
    const answers: [string, { status: number; body: Record<string, unknown> }, string][] = [];
    const keep = <T extends { status: number; body: Record<string, unknown> }>(
      what: string,
      entitySet: string,
      response: T,
    ): T => {
      answers.push([what, response, entitySet]);
      return response;
    };
    const bought = keep(
      "POST subscriptions",
      "subscriptions",
      await t.call("POST", "/api/subscriptions", {
        skuId: skus.businessBasic,
        seats: 2,
        purchaseChannel: "SelfService",
      }),
    );
    const subscription = `/api/subscriptions/${bought.body.id}`;
    keep("GET subscription", "subscriptions", await t.call("GET", subscription));
    keep("PATCH subscription", "subscriptions", await t.call("PATCH", subscription, { seats: 3 }));
    keep("takeOver", "subscriptions", await t.call("POST", `${subscription}/takeOver`));
    keep(
      "GET subscribedSku",
      "subscribedSkus",
      await t.call("GET", `/api/subscribedSkus/${skus.businessBasic}`),
    );
    const created = keep(
      "POST users",
      "users",
      await t.call("POST", "/api/users", { userPrincipalName: "ada@contoso.example", displayName: "Ada" }),
    );
    const user = `/api/users/${created.body.id}`;
    keep(
      "assignLicense",
      "users",
      await t.assign(String(created.body.id), { addLicenses: [{ skuId: skus.businessBasic }] }),
    );
    expect((await t.call("DELETE", user)).status).toBe(204);
    keep("restore", "users", await t.call("POST", `${user}/restore`));
    keep("GET user", "users", await t.call("GET", user));
    keep("PATCH user", "users", await withPrefer("PATCH", user, { displayName: "Ada L." }));

    const base = `${app.url}/api/$metadata#`;
    for (const [what, response, entitySet] of answers) {
      expect(response.status, what).toBeLessThan(300);
      expect(response.body["@odata.context"], what).toBe(`${base}${entitySet}/$entity`);
    }
    const viaGraphPrefix = await t.call("GET", `/v1.0/users/ada@contoso.example`);
    expect(viaGraphPrefix.body["@odata.context"]).toBe(`${app.url}/v1.0/$metadata#users/$entity`);
    // A dry run is no user, and items of a collection carry no context of their own.
    const dryRun = await t.call("POST", `${user}/assignLicense?dryRun=true`, {
      addLicenses: [{ skuId: skus.businessBasic }],
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).not.toHaveProperty("@odata.context");
    const listed = await t.call<{ value: Record<string, unknown>[] }>("GET", "/api/users");
    expect(listed.body.value[0]).not.toHaveProperty("@odata.context");
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
