// Who may do what (R22, R23), tenant isolation, and token verification, over real HTTP.
import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../shared/domain/roles.js";
import type { RouteSpec } from "../../shared/http/route.js";
import { routes } from "../../shared/http/routes.js";
import { skus } from "../support/catalog-ids.js";
import { audience, issuer, newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

const allRoles: Role[] = [
  "GlobalAdministrator",
  "BillingAdministrator",
  "UserAdministrator",
  "LicenseAdministrator",
  "ServiceAdministrator",
  "PasswordAdministrator",
  "GroupsAdministrator",
];
// R23 and the role table of docs/api.md: any administrator role except Service and Password administrators may read.
const readers: Role[] = [
  "GlobalAdministrator",
  "BillingAdministrator",
  "UserAdministrator",
  "LicenseAdministrator",
];
// Issue 19: the readers and Groups administrators read groups; Global, User, License and Groups
// administrators manage them.
const groupReaders: Role[] = [...readers, "GroupsAdministrator"];
const groupAdmins: Role[] = [
  "GlobalAdministrator",
  "UserAdministrator",
  "LicenseAdministrator",
  "GroupsAdministrator",
];
// R22, written out here rather than derived from the code under test.
const allowed: Record<string, Role[]> = {
  listSkus: readers,
  listSubscribedSkus: readers,
  getSubscribedSku: readers,
  listSubscriptions: readers,
  getSubscription: readers,
  listUsers: readers,
  countUsers: readers,
  listRejectedEvents: readers,
  getUser: readers,
  getLicenseDetails: readers,
  getLicenseDetailsItem: readers,
  getMailbox: readers,
  getJob: readers,
  listJobs: readers,
  submitBulk: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  retryJob: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  assignProductUsers: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  unassignProductUsers: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  updateUser: ["GlobalAdministrator", "UserAdministrator"],
  restoreUser: ["GlobalAdministrator", "UserAdministrator"],
  getProvisioning: readers,
  installOffice: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  removeOfficeInstall: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  buySubscription: ["GlobalAdministrator", "BillingAdministrator"],
  updateSubscription: ["GlobalAdministrator", "BillingAdministrator"],
  takeOverSubscription: ["GlobalAdministrator", "BillingAdministrator"],
  createUser: ["GlobalAdministrator", "UserAdministrator"],
  deleteUser: ["GlobalAdministrator", "UserAdministrator"],
  assignLicense: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  createGroup: groupAdmins,
  listGroups: groupReaders,
  getGroup: groupReaders,
  updateGroup: groupAdmins,
  deleteGroup: groupAdmins,
  addGroupMember: groupAdmins,
  removeGroupMember: groupAdmins,
  listGroupMembers: groupReaders,
  listMemberOf: groupReaders,
  // Licenses on groups are licensing: those who assign licenses (issue 19).
  assignGroupLicense: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  reprocessLicenseAssignment: ["GlobalAdministrator", "UserAdministrator", "LicenseAdministrator"],
  listMembersWithLicenseErrors: groupReaders,
  // Any role reads the organisation (its name and default country); only a Global Administrator changes it.
  listOrganization: allRoles,
  updateOrganization: ["GlobalAdministrator"],
  // Any valid token: each request in the batch is then authorised as if sent alone (batch.test.ts).
  batch: allRoles,
};

const protectedRoutes: RouteSpec[] = Object.values(routes).filter((route) => route.right !== "public");
const pathOf = (route: string) => `/api/${route.replace(/\{(\w+)(:\w+)?\}/g, () => randomUUID())}`;

describe("the role table", () => {
  it("covers every protected route", () => {
    expect(protectedRoutes.map((r) => r.operationId).sort()).toEqual(Object.keys(allowed).sort());
  });

  for (const route of protectedRoutes) {
    it(`lets exactly ${(allowed[route.operationId] ?? []).join(", ")} call ${route.method} /api/${route.route}`, async () => {
      const tenantId = randomUUID();
      for (const role of allRoles) {
        const token = await app.token(tenantId, { roles: [role] });
        const response = await app.call(route.method, pathOf(route.route), {
          token,
          ...(route.body ? { body: {} } : {}),
        });
        if (allowed[route.operationId]?.includes(role)) {
          expect([401, 403], `${role} on ${route.operationId}`).not.toContain(response.status);
        } else {
          expect(response.status, `${role} on ${route.operationId}`).toBe(403);
          expect(response.body.code).toBe("Forbidden");
        }
      }
    });
  }

  it("refuses a token with no roles at all", async () => {
    const token = await app.token(randomUUID(), { roles: [] });
    expect((await app.call("GET", "/api/subscribedSkus", { token })).status).toBe(403);
  });
});

describe("tenant isolation", () => {
  it("never lets tenant B read or change tenant A's users and subscriptions", async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    const subscription = await a.buy(skus.businessStandard, 5);
    await b.buy(skus.businessStandard, 5);
    const user = await a.user({ licenses: [{ skuId: skus.businessStandard }] });

    expect((await b.call("GET", `/api/users/${user.id}`)).status).toBe(404);
    expect((await b.call("GET", `/api/users/${user.id}/licenseDetails`)).status).toBe(404);
    const details = await a.call<{ value: { id: string }[] }>("GET", `/api/users/${user.id}/licenseDetails`);
    const detailsPath = `/api/users/${user.id}/licenseDetails/${details.body.value[0]?.id}`;
    expect((await a.call("GET", detailsPath)).status).toBe(200);
    expect((await b.call("GET", detailsPath)).status).toBe(404);
    expect((await b.assign(user.id, { removeLicenses: [skus.businessStandard] })).status).toBe(404);
    expect((await b.call("DELETE", `/api/users/${user.id}`)).status).toBe(404);
    expect((await b.call("GET", `/api/subscriptions/${subscription.id}`)).status).toBe(404);
    expect((await b.call("PATCH", `/api/subscriptions/${subscription.id}`, { seats: 1 })).status).toBe(404);
    expect((await b.call("POST", `/api/subscriptions/${subscription.id}/takeOver`)).status).toBe(404);
    expect((await b.call<{ value: unknown[] }>("GET", "/api/users")).body.value).toEqual([]);
    expect(
      (await b.call<{ value: unknown[] }>("GET", `/api/users?skuId=${skus.businessStandard}`)).body.value,
    ).toEqual([]);
    expect((await b.sku(skus.businessStandard)).consumedUnits).toBe(0);

    // Tenant A's data is untouched by all of that.
    expect((await a.call("GET", `/api/users/${user.id}`)).body.assignedLicenses).toHaveLength(1);
    expect(await a.sku(skus.businessStandard)).toMatchObject({
      consumedUnits: 1,
      prepaidUnits: { enabled: 5 },
    });
  });
});

describe("token verification", () => {
  const claims = (tenantId: string) => ({ tid: tenantId, oid: randomUUID(), roles: ["GlobalAdministrator"] });
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  async function expect401(token: string, detail?: RegExp) {
    const response = await app.call("GET", "/api/subscribedSkus", { token });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe("Unauthorized");
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
    if (detail) expect(response.body.detail).toMatch(detail);
  }

  it("accepts a valid token", async () => {
    const token = await app.token(randomUUID());
    expect((await app.call("GET", "/api/subscribedSkus", { token })).status).toBe(200);
  });

  it("answers 401 to a missing or malformed Authorization header", async () => {
    expect((await app.call("GET", "/api/subscribedSkus")).status).toBe(401);
    expect(
      (await app.call("GET", "/api/subscribedSkus", { headers: { authorization: "Basic abc" } })).status,
    ).toBe(401);
  });

  it("answers 401 to an expired token", async () => {
    const past = Math.floor(Date.now() / 1000) - 600;
    await expect401(await app.token(randomUUID(), { expiresIn: past }), /expired/);
  });

  it("answers 401 to a token signed by another key", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(claims(randomUUID()))
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("5m")
      .sign(privateKey);
    await expect401(token, /signature/);
  });

  it("answers 401 to a token for another audience or issuer", async () => {
    await expect401(await app.token(randomUUID(), { audience: "api://someone-else" }), /aud/);
    await expect401(await app.token(randomUUID(), { issuer: "https://evil.example/" }), /iss/);
  });

  it("answers 401 to an unsigned alg:none token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims(randomUUID()), iss: issuer, aud: audience, exp: now + 300 })}.`;
    await expect401(token);
  });

  it("answers 401 to an HS256 token keyed with the public key (algorithm confusion)", async () => {
    const pem = app.services.config.auth.publicKeyPem ?? "";
    const token = await new SignJWT(claims(randomUUID()))
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(pem));
    await expect401(token, /algorithm/);
  });

  it("answers 401 to a token whose tenant claim is not a tenant id", async () => {
    await expect401(await app.token("not-a-guid"), /tenant/);
  });
});
