// Assigning and unassigning over real HTTP through the local host, against Azurite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "../../shared/http/openapi.js";
import { routes } from "../../shared/http/routes.js";
import { plans, skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

interface LicenseDetails {
  value: { skuId: string; servicePlans: { servicePlanName: string; provisioningStatus: string }[] }[];
}

describe("seat counts", () => {
  it("shows 24 of 25 available after one of 25 licenses is assigned", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 25);
    const user = await t.user();
    expect((await t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] })).status).toBe(200);

    const sku = await t.sku(skus.businessStandard);
    expect(sku).toMatchObject({ prepaidUnits: { enabled: 25 }, consumedUnits: 1, availableUnits: 24 });
  });

  it("sums two subscriptions of 5 and 8 seats into 13 while listing each subscription", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessPremium, 5);
    await t.buy(skus.businessPremium, 8);

    const all = await t.call<{ value: { skuId: string; prepaidUnits: { enabled: number } }[] }>(
      "GET",
      "/api/subscribedSkus",
    );
    expect(all.body.value).toHaveLength(1);
    expect(all.body.value[0]).toMatchObject({ skuId: skus.businessPremium, prepaidUnits: { enabled: 13 } });
    const subscriptions = await t.call<{ value: { seats: number }[] }>("GET", "/api/subscriptions");
    expect(subscriptions.body.value.map((s) => s.seats).sort((a, b) => a - b)).toEqual([5, 8]);
  });

  it("refuses to reduce seats below what is assigned, and changes nothing", async () => {
    const t = await newTenant(app);
    const subscription = await t.buy(skus.businessBasic, 3);
    for (let i = 0; i < 2; i++) {
      const user = await t.user();
      await t.assign(user.id, { addLicenses: [{ skuId: skus.businessBasic }] });
    }
    const refused = await t.call("PATCH", `/api/subscriptions/${subscription.id}`, { seats: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("SeatsBelowAssigned");
    expect((await t.sku(skus.businessBasic)).prepaidUnits.enabled).toBe(3);

    const allowed = await t.call("PATCH", `/api/subscriptions/${subscription.id}`, { seats: 2 });
    expect(allowed.status).toBe(200);
    expect(await t.sku(skus.businessBasic)).toMatchObject({
      prepaidUnits: { enabled: 2 },
      availableUnits: 0,
    });
  });
});

describe("assignLicense", () => {
  it("assigns with a disabled plan, which licenseDetails shows as Disabled", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 5);
    const user = await t.user();
    const sharePointOff = {
      skuId: skus.businessStandard,
      disabledPlans: [plans.SHAREPOINTWAC.servicePlanId, plans.SHAREPOINTSTANDARD.servicePlanId],
    };
    const assigned = await t.assign(user.id, { addLicenses: [sharePointOff] });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedLicenses).toEqual([
      { skuId: skus.businessStandard, disabledPlans: expect.arrayContaining(sharePointOff.disabledPlans) },
    ]);

    const statusOf = async () => {
      const details = await t.call<LicenseDetails>("GET", `/api/users/${user.id}/licenseDetails`);
      return Object.fromEntries(
        details.body.value[0]?.servicePlans.map((p) => [p.servicePlanName, p.provisioningStatus]) ?? [],
      );
    };
    // Until the worker has provisioned the mailbox, its plan is pending; disabled plans never are.
    expect((await statusOf()).SHAREPOINTSTANDARD).toBe("Disabled");
    const status = await eventually(statusOf, (s) => s.EXCHANGE_S_STANDARD === "Success");
    expect(status.SHAREPOINTSTANDARD).toBe("Disabled");
    expect(status.SHAREPOINTWAC).toBe("Disabled");
    expect(status.EXCHANGE_S_STANDARD).toBe("Success");
  });

  it("changes the plans of a held license without taking another seat", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 5);
    const user = await t.user();
    await t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] });
    const teamsOff = { skuId: skus.businessStandard, disabledPlans: [plans.TEAMS1.servicePlanId] };

    const changed = await t.assign(user.id, { addLicenses: [teamsOff] });
    expect(changed.status).toBe(200);
    expect(changed.body.assignedLicenses).toEqual([teamsOff]);
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(1);
  });

  it("unassigns a license and frees its seat", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 5);
    const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(1);

    const removed = await t.assign(user.id, { removeLicenses: [skus.businessStandard] });
    expect(removed.status).toBe(200);
    expect(removed.body.assignedLicenses).toEqual([]);
    expect(await t.sku(skus.businessStandard)).toMatchObject({ consumedUnits: 0, availableUnits: 5 });
  });

  it("treats removing a license the user does not hold as a successful no-op", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 5);
    const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });

    const response = await t.assign(user.id, { removeLicenses: [skus.e3] });
    expect(response.status).toBe(200);
    expect(response.body.assignedLicenses).toEqual([{ skuId: skus.businessStandard, disabledPlans: [] }]);
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(1);
  });

  it("answers CountViolation with the number missing, and assigns nothing", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 1);
    await t.buy(skus.appsForBusiness, 1);
    const holder = await t.user({ licenses: [{ skuId: skus.businessStandard }] });
    const user = await t.user();

    const refused = await t.assign(user.id, {
      addLicenses: [{ skuId: skus.businessStandard }, { skuId: skus.appsForBusiness }],
    });
    expect(refused.status).toBe(409);
    // Graph's SDKs send no problem+json Accept: they get application/json (graph-shapes.test.ts).
    expect(refused.headers.get("content-type")).toBe("application/json");
    expect(refused.body.code).toBe("CountViolation");
    expect(refused.body.detail).toMatch(/1 more license of Microsoft 365 Business Standard/);
    expect(refused.body.detail).toMatch(/buy more licenses/i);
    expect(refused.body.errors).toEqual([{ skuId: skus.businessStandard, requested: 1, available: 0 }]);
    // All or nothing: the Apps for business seat that was free is not taken either.
    expect((await t.sku(skus.appsForBusiness)).consumedUnits).toBe(0);
    const after = await t.call("GET", `/api/users/${user.id}`);
    expect(after.body.assignedLicenses).toEqual([]);
    expect(holder.assignedLicenses).toHaveLength(1);
  });

  it("answers MutuallyExclusiveViolation naming both Exchange plans and their licenses", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 2);
    await t.buy(skus.exchangePlan1, 2);
    const user = await t.user({ licenses: [{ skuId: skus.e3 }] });

    const refused = await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("MutuallyExclusiveViolation");
    expect(refused.body.detail).toContain("EXCHANGE_S_ENTERPRISE");
    expect(refused.body.detail).toContain("EXCHANGE_S_STANDARD");
    expect(refused.body.detail).toContain("Office 365 E3");
    expect(refused.body.detail).toContain("Exchange Online (Plan 1)");
    expect((await t.sku(skus.exchangePlan1)).consumedUnits).toBe(0);

    // Switching the E3 mailbox plan off resolves it, as the detail suggests.
    const resolved = await t.assign(user.id, {
      addLicenses: [
        { skuId: skus.e3, disabledPlans: [plans.EXCHANGE_S_ENTERPRISE.servicePlanId] },
        { skuId: skus.exchangePlan1 },
      ],
    });
    expect(resolved.status).toBe(200);
  });

  it("answers DependencyViolation when a plan others need is switched off", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 1);
    const user = await t.user();
    const refused = await t.assign(user.id, {
      addLicenses: [
        { skuId: skus.businessStandard, disabledPlans: [plans.SHAREPOINTSTANDARD.servicePlanId] },
      ],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("DependencyViolation");
    expect(refused.body.detail).toContain("SHAREPOINTWAC");
  });

  it("refuses seats of a self-service subscription until an administrator takes it over", async () => {
    const t = await newTenant(app);
    const subscription = await t.buy(skus.exchangePlan1, 2, "SelfService");
    const user = await t.user();

    const refused = await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("SelfServiceSubscription");
    expect(refused.body.detail).toMatch(/take/i);

    const takeOver = await t.call("POST", `/api/subscriptions/${subscription.id}/takeOver`);
    expect(takeOver.status).toBe(200);
    expect(takeOver.body.purchaseChannel).toBe("Admin");
    const assigned = await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    expect(assigned.status).toBe(200);
    expect((await t.sku(skus.exchangePlan1)).availableUnits).toBe(1);
  });

  it("lets only a Global Administrator license a guest", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 2);
    const guest = await t.user({ userType: "Guest" });
    const userAdmin = await app.token(t.tenantId, { roles: ["UserAdministrator"] });

    const refused = await app.call("POST", `/api/users/${guest.id}/assignLicense`, {
      token: userAdmin,
      body: { addLicenses: [{ skuId: skus.businessBasic }] },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("GuestLicenseRequiresGlobalAdministrator");
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(0);

    const allowed = await t.assign(guest.id, { addLicenses: [{ skuId: skus.businessBasic }] });
    expect(allowed.status).toBe(200);
  });

  it("answers a dry run with the seat change and changes nothing", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 3);
    const user = await t.user();

    const preview = await t.assign(
      user.id,
      { addLicenses: [{ skuId: skus.businessStandard }] },
      "?dryRun=true",
    );
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      dryRun: true,
      user: { id: user.id, assignedLicenses: [{ skuId: skus.businessStandard, disabledPlans: [] }] },
      seatChanges: [{ skuId: skus.businessStandard, delta: 1, availableBefore: 3, availableAfter: 2 }],
    });
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(0);
    expect((await t.call("GET", `/api/users/${user.id}`)).body.assignedLicenses).toEqual([]);

    await t.buy(skus.e3, 1);
    await t.assign((await t.user()).id, { addLicenses: [{ skuId: skus.e3 }] });
    const refused = await t.assign(user.id, { addLicenses: [{ skuId: skus.e3 }] }, "?dryRun=true");
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("CountViolation");
  });

  it("records every change in the audit log with its before and after", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 3);
    const user = await t.user();
    await t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] });

    const audit = await app.services.deps.store.listAudit(t.tenantId);
    const assignment = audit.find((r) => r.action === "assignLicense");
    expect(assignment).toMatchObject({ target: `user/${user.id}`, before: [] });
    expect(assignment?.after).toEqual([expect.objectContaining({ skuId: skus.businessStandard })]);
    // The worker's provisioning is audited too, once it has run.
    const changes = audit.map((r) => r.action).filter((action) => action !== "provision");
    expect(changes.sort()).toEqual(["assignLicense", "buySubscription", "createUser"]);
  });
});

describe("users", () => {
  it("creates and licenses a user in one all-or-nothing request", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const created = await t.call("POST", "/api/users", {
      userPrincipalName: "nina@contoso.example",
      displayName: "Nina",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe(`/api/users/${created.body.id}`);

    const refused = await t.call("POST", "/api/users", {
      userPrincipalName: "oskar@contoso.example",
      displayName: "Oskar",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe("CountViolation");
    const users = await t.call<{ value: { userPrincipalName: string }[] }>("GET", "/api/users");
    expect(users.body.value.map((u) => u.userPrincipalName)).toEqual(["nina@contoso.example"]);

    const duplicate = await t.call("POST", "/api/users", {
      userPrincipalName: "NINA@contoso.example",
      displayName: "N",
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe("Conflict");
  });

  it("lists unlicensed users and the holders of a product, page by page", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 10);
    const holders = [];
    for (let i = 0; i < 3; i++) holders.push(await t.user({ licenses: [{ skuId: skus.businessBasic }] }));
    const unlicensed = [await t.user(), await t.user()];

    const free = await t.call<{ value: { id: string }[] }>("GET", "/api/users?licensed=false");
    expect(free.body.value.map((u) => u.id).sort()).toEqual(unlicensed.map((u) => u.id).sort());

    const first = await t.call<{ value: { id: string }[]; "@odata.nextLink"?: string }>(
      "GET",
      `/api/users?skuId=${skus.businessBasic}&top=2`,
    );
    expect(first.body.value).toHaveLength(2);
    expect(first.body["@odata.nextLink"]).toBeDefined();
    const next = new URL(first.body["@odata.nextLink"] ?? "");
    const second = await t.call<{ value: { id: string }[]; "@odata.nextLink"?: string }>(
      "GET",
      `${next.pathname}${next.search}`,
    );
    expect(second.body["@odata.nextLink"]).toBeUndefined();
    expect([...first.body.value, ...second.body.value].map((u) => u.id).sort()).toEqual(
      holders.map((u) => u.id).sort(),
    );

    const forged = await t.call("GET", "/api/users?skipToken=not-a-token");
    expect(forged.status).toBe(400);
    expect(forged.body.code).toBe("ValidationFailed");
  });

  it("frees every seat of a deleted user at once and hides the user", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 2);
    await t.buy(skus.exchangePlan2, 2);
    const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });
    await t.assign(user.id, {
      addLicenses: [
        { skuId: skus.businessStandard, disabledPlans: [plans.EXCHANGE_S_STANDARD.servicePlanId] },
        { skuId: skus.exchangePlan2 },
      ],
    });

    expect((await t.call("DELETE", `/api/users/${user.id}`)).status).toBe(204);
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(0);
    expect((await t.sku(skus.exchangePlan2)).consumedUnits).toBe(0);
    expect((await t.call("GET", `/api/users/${user.id}`)).status).toBe(404);
    expect((await t.call<{ value: unknown[] }>("GET", "/api/users")).body.value).toEqual([]);
  });
});

describe("bad input", () => {
  it("rejects unknown fields, bad GUIDs, malformed JSON and bodies over 1 MiB with problem+json", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const path = `/api/users/${user.id}/assignLicense`;

    const unknown = await t.call("POST", path, { addLicenses: [], removeLicenses: [skus.e3], extra: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe("ValidationFailed");
    expect(unknown.body.detail).toContain("extra");

    const badGuid = await t.call("POST", path, { addLicenses: [{ skuId: "E3" }] });
    expect(badGuid.status).toBe(400);
    expect(badGuid.body.errors).toEqual([{ path: "addLicenses[0].skuId", message: "must be a GUID" }]);

    const malformed = await app.call("POST", path, {
      token: t.admin,
      rawBody: "{ not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toBe("Malformed JSON in request body.");

    const huge = await app.call("POST", path, {
      token: t.admin,
      rawBody: JSON.stringify({ addLicenses: [], removeLicenses: [], pad: "x".repeat(1024 * 1024) }),
      headers: { "content-type": "application/json" },
    });
    expect(huge.status).toBe(413);
    expect(huge.body.code).toBe("PayloadTooLarge");

    const unknownSku = await t.assign(user.id, {
      addLicenses: [{ skuId: "00000000-0000-0000-0000-000000000001" }],
    });
    expect(unknownSku.status).toBe(404);
    expect(unknownSku.body.code).toBe("NotFound");

    const notAGuidPath = await t.call("GET", "/api/users/not-a-guid");
    expect(notAGuidPath.status).toBe(404);
  });

  // Every response here also goes through the OpenAPI check in app.call (test/support/contract.ts).
  it("answers the problems the OpenAPI document lists, with the headers it lists", async () => {
    const t = await newTenant(app);
    const user = await t.user();

    const wrongMethod = await t.call("PUT", "/api/users");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")?.split(", ").sort()).toEqual(["GET", "POST"]);
    expect((await t.call("GET", "/api/nothing-here")).status).toBe(404);

    const text = await app.call("PATCH", `/api/users/${user.id}`, {
      token: t.admin,
      rawBody: "displayName=x",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect(text.body.code).toBe("UnsupportedMediaType");

    const emptyPatch = await t.call("PATCH", `/api/users/${user.id}`, {});
    expect(emptyPatch.status).toBe(400);

    const noToken = await app.call("GET", `/api/users/${user.id}`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get("www-authenticate")).toMatch(/^Bearer /);

    const longKey = await app.call("POST", "/api/licenses/bulk", {
      token: t.admin,
      body: { userIds: [user.id], operation: "removeAll" },
      headers: { "idempotency-key": "k".repeat(256) },
    });
    expect(longKey.status).toBe(400);
    expect(longKey.body.errors).toEqual([
      expect.objectContaining({ path: "Idempotency-Key", message: expect.stringContaining("255") }),
    ]);

    const served = await app.call("GET", "/api/openapi.json");
    expect(served.body).toEqual(buildOpenApiDocument(Object.values(routes)));
  });

  it("serves an OpenAPI 3.1 document without a token", async () => {
    const response = await app.call<{ openapi: string; paths: Record<string, unknown> }>(
      "GET",
      "/api/openapi.json",
    );
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe("3.1.0");
    expect(Object.keys(response.body.paths)).toContain("/api/users/{id}/assignLicense");
  });
});
