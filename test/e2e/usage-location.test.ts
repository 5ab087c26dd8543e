// Usage location and the organization (issue 19), over real HTTP through the local host against
// Azurite: users' usageLocation on POST, PATCH and GET ($select too), the default a new user gets
// from the organization's countryLetterCode, and GET / PATCH /organization with its refusals.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoOrganization } from "../../local/demo-tenant.js";
import { seedDemoTenant } from "../../local/seed.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

interface UserBody {
  id: string;
  usageLocation: string | null;
}
interface OrganizationBody {
  id: string;
  displayName: string | null;
  countryLetterCode: string | null;
  tenantType: string;
  createdDateTime: string | null;
}
interface Problem {
  code: string;
  detail: string;
}

describe("a user's usageLocation", () => {
  it("is kept as given on POST, upper case, changed and cleared by PATCH, and read back by GET", async () => {
    const t = await newTenant(app);
    const user = (await t.user({ usageLocation: "no" })) as unknown as UserBody;
    expect(user.usageLocation).toBe("NO");

    const moved = await t.call("PATCH", `/api/users/${user.id}`, { usageLocation: "DE" });
    expect(moved.status).toBe(204);
    const read = await t.call<UserBody>("GET", `/api/users/${user.id}`);
    expect(read.body.usageLocation).toBe("DE");
    const selected = await t.call<Record<string, unknown>>(
      "GET",
      `/api/users/${user.id}?$select=usageLocation`,
    );
    expect(selected.body).toMatchObject({ id: user.id, usageLocation: "DE" });
    expect(selected.body).not.toHaveProperty("displayName");

    expect((await t.call("PATCH", `/api/users/${user.id}`, { usageLocation: null })).status).toBe(204);
    expect((await t.call<UserBody>("GET", `/api/users/${user.id}`)).body.usageLocation).toBeNull();
  });

  it("refuses what is not an ISO 3166-1 alpha-2 code with a 400 naming the value, and changes nothing", async () => {
    const t = await newTenant(app);
    for (const usageLocation of ["XX", "UK", "SWE", "1"]) {
      const refused = await t.call<Problem>("POST", "/api/users", {
        userPrincipalName: `u${randomUUID().slice(0, 8)}@contoso.example`,
        displayName: "Nowhere",
        usageLocation,
      });
      expect(refused.status, usageLocation).toBe(400);
      expect(refused.body.code).toBe("ValidationFailed");
      expect(refused.body.detail).toContain(`usageLocation: "${usageLocation}" is not an ISO 3166-1 alpha-2`);
    }
    const user = (await t.user({ usageLocation: "SE" })) as unknown as UserBody;
    const refused = await t.call<Problem>("PATCH", `/api/users/${user.id}`, { usageLocation: "EU" });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('"EU"');
    expect((await t.call<UserBody>("GET", `/api/users/${user.id}`)).body.usageLocation).toBe("SE");
  });

  it("is the organization's countryLetterCode for a user created without one, and null while there is none", async () => {
    const t = await newTenant(app);
    const before = (await t.user()) as unknown as UserBody;
    expect(before.usageLocation).toBeNull();

    expect(
      (await t.call("PATCH", `/api/organization/${t.tenantId}`, { countryLetterCode: "SE" })).status,
    ).toBe(204);
    const after = (await t.user()) as unknown as UserBody;
    expect(after.usageLocation).toBe("SE");
    const own = (await t.user({ usageLocation: "US" })) as unknown as UserBody;
    expect(own.usageLocation).toBe("US");
    // The default is taken when the user is created: an earlier user keeps having none.
    expect((await t.call<UserBody>("GET", `/api/users/${before.id}`)).body.usageLocation).toBeNull();
  });
});

describe("/organization", () => {
  it("answers a tenant without a record with its id and no name or country", async () => {
    const t = await newTenant(app);
    const listed = await t.call<{ "@odata.context": string; value: OrganizationBody[] }>(
      "GET",
      "/api/organization",
    );
    expect(listed.status).toBe(200);
    expect(listed.body["@odata.context"]).toMatch(/\/api\/\$metadata#organization$/);
    expect(listed.body.value).toEqual([
      {
        id: t.tenantId,
        displayName: null,
        countryLetterCode: null,
        tenantType: "AAD",
        createdDateTime: null,
      },
    ]);
  });

  it("takes displayName and countryLetterCode from a Global Administrator (204) and shows them to any token", async () => {
    const t = await newTenant(app);
    const changed = await t.call("PATCH", `/api/organization/${t.tenantId}`, {
      displayName: "Fjällvind Konsult AB",
      countryLetterCode: "se",
    });
    expect(changed.status).toBe(204);
    const reader = await app.token(t.tenantId, { roles: ["ServiceAdministrator"] });
    const listed = await app.call<{ value: OrganizationBody[] }>("GET", "/v1.0/organization", {
      token: reader,
    });
    expect(listed.body.value).toEqual([
      expect.objectContaining({
        id: t.tenantId,
        displayName: "Fjällvind Konsult AB",
        countryLetterCode: "SE",
      }),
    ]);
    expect(listed.body.value[0]?.createdDateTime).toEqual(expect.any(String));

    expect(
      (await t.call("PATCH", `/api/organization/${t.tenantId}`, { countryLetterCode: null })).status,
    ).toBe(204);
    const cleared = await t.call<{ value: OrganizationBody[] }>("GET", "/api/organization");
    expect(cleared.body.value[0]).toMatchObject({
      displayName: "Fjällvind Konsult AB",
      countryLetterCode: null,
    });
  });

  it("refuses other roles, another tenant's id, an unknown country and an empty body", async () => {
    const t = await newTenant(app);
    const userAdmin = await app.token(t.tenantId, { roles: ["UserAdministrator"] });
    const forbidden = await app.call<Problem>("PATCH", `/api/organization/${t.tenantId}`, {
      token: userAdmin,
      body: { countryLetterCode: "US" },
    });
    expect(forbidden.status).toBe(403);

    const otherTenant = await t.call<Problem>("PATCH", `/api/organization/${randomUUID()}`, {
      countryLetterCode: "US",
    });
    expect(otherTenant.status).toBe(404);

    const unknown = await t.call<Problem>("PATCH", `/api/organization/${t.tenantId}`, {
      countryLetterCode: "ZZ",
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.detail).toContain('countryLetterCode: "ZZ" is not an ISO 3166-1 alpha-2');

    expect((await t.call("PATCH", `/api/organization/${t.tenantId}`, {})).status).toBe(400);
    const listed = await t.call<{ value: OrganizationBody[] }>("GET", "/api/organization");
    expect(listed.body.value[0]?.countryLetterCode).toBeNull();
  });

  it("is the demo tenant's Swedish company, whose users are located in Sweden", async () => {
    const tenantId = randomUUID();
    await seedDemoTenant(app.services.deps, tenantId);
    const token = await app.token(tenantId);
    const listed = await app.call<{ value: OrganizationBody[] }>("GET", "/api/organization", { token });
    expect(listed.body.value[0]).toMatchObject({ ...demoOrganization, id: tenantId });
    const users = await app.call<{ value: UserBody[] }>("GET", "/api/users?$select=usageLocation", { token });
    expect(users.body.value.length).toBeGreaterThan(0);
    for (const user of users.body.value) expect(user.usageLocation).toBe("SE");
  });
});
