// Runs each script of examples/graph-sdk, as an admin would, with Microsoft's own Graph SDK against
// the service over https: the scripts change nothing but the host and the token.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans, productOf, skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const run = promisify(execFile);
const examples = fileURLToPath(new URL("../../examples/graph-sdk/", import.meta.url));

let app: TestApp;
type Tenant = Awaited<ReturnType<typeof newTenant>>;
beforeAll(async () => {
  // With the queue worker: a group's licenses reach its members in the background.
  app = await startTestApp({ https: true });
});
afterAll(() => app?.close());

/** Runs a script with the environment its README gives; resolves with its exit code and output. */
async function script(name: string, token: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [`${examples}${name}`, ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        LICENSES_BASE_URL: app.url,
        LICENSES_TOKEN: token,
        // The development certificate, as docs/graph.md tells an admin to trust it.
        NODE_EXTRA_CA_CERTS: app.certPath ?? "",
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface UserLicenses {
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  licenseAssignmentStates: { skuId: string; assignedByGroup: string | null; state: string; error: string }[];
}

/** A security group with the users as members, made over the API. */
async function newGroup(tenant: Tenant, displayName: string, members: readonly { id: string }[]) {
  const created = await tenant.call<{ id: string }>("POST", "/api/groups", {
    displayName,
    mailNickname: displayName.replace(/\W/g, ""),
    securityEnabled: true,
    mailEnabled: false,
    "members@odata.bind": members.map((m) => `https://graph.microsoft.com/v1.0/directoryObjects/${m.id}`),
  });
  if (created.status !== 201) throw new Error(`create group failed: ${JSON.stringify(created.body)}`);
  return created.body;
}

/** Puts a product on a group over the API and waits until its members have been processed. */
async function licenseGroup(tenant: Tenant, groupId: string, skuId: string) {
  const accepted = await tenant.call("POST", `/api/groups/${groupId}/assignLicense`, {
    addLicenses: [{ skuId, disabledPlans: [] }],
    removeLicenses: [],
  });
  if (accepted.status !== 202) throw new Error(`assignLicense failed: ${JSON.stringify(accepted.body)}`);
  await eventually(
    async () =>
      (await tenant.call<{ licenseProcessingState: { state: string } }>("GET", `/api/groups/${groupId}`))
        .body,
    (g) => g.licenseProcessingState.state === "ProcessingComplete",
  );
}

describe("examples/graph-sdk, run with the Graph SDK", () => {
  it("list-products.mjs lists the bought products with the seats left", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 25);
    const holder = await tenant.user();
    await tenant.assign(holder.id, { addLicenses: [{ skuId: skus.e3, disabledPlans: [] }] });

    const { code, stdout, stderr } = await script("list-products.mjs", tenant.admin);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(`ENTERPRISEPACK\t${skus.e3}\t24 of 25 available\n`);
  });

  it("assign-with-plan-off.mjs assigns by userPrincipalName with the named service off", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 5);
    const user = await tenant.user();
    const upn = user.userPrincipalName;

    const { code, stdout, stderr } = await script(
      "assign-with-plan-off.mjs",
      tenant.admin,
      upn.toUpperCase(),
      "ENTERPRISEPACK",
      "SWAY",
    );

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(`${upn} has ENTERPRISEPACK without ${plans.SWAY.servicePlanId}\n`);
    const after = await tenant.call<{ assignedLicenses: unknown[] }>("GET", `/api/users/${user.id}`);
    expect(after.body.assignedLicenses).toEqual([
      { skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] },
    ]);
  });

  it("list-holders.mjs pages through every holder with $filter, $select, $top and PageIterator", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 30);
    const users = await Promise.all(Array.from({ length: 25 }, () => tenant.user()));
    const holders = users.slice(0, 23);
    for (const user of holders) {
      await tenant.assign(user.id, { addLicenses: [{ skuId: skus.e3, disabledPlans: [] }] });
    }

    const { code, stdout, stderr } = await script("list-holders.mjs", tenant.admin, "ENTERPRISEPACK");

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("23 user(s) hold ENTERPRISEPACK");
    const listed = lines.slice(0, -1).map((line) => line.split("\t")[0]);
    const expected = holders.map((u) => u.userPrincipalName);
    expect(listed.sort()).toEqual(expected.sort());
  });

  it("batch-assign.mjs assigns 20 users in one $batch, and reports the one that failed", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 19);
    const users = await Promise.all(Array.from({ length: 20 }, () => tenant.user()));
    const upns = users.map((u) => u.userPrincipalName);

    const { code, stdout, stderr } = await script(
      "batch-assign.mjs",
      tenant.admin,
      "ENTERPRISEPACK",
      ...upns,
    );

    expect(stderr).toBe("");
    expect(code).toBe(1);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(20);
    expect(lines.filter((line) => line.endsWith("\tassigned"))).toHaveLength(19);
    const [refused] = lines.filter((line) => !line.endsWith("\tassigned"));
    expect(refused).toMatch(/\t409 CountViolation: .+/);
    expect((await tenant.sku(skus.e3)).availableUnits).toBe(0);
  });

  it("create-user.mjs creates a user with Graph's documented body, passwordProfile and all", async () => {
    const tenant = await newTenant(app);

    const { code, stdout, stderr } = await script(
      "create-user.mjs",
      tenant.admin,
      "adele.vance@contoso.example",
      "Adele Vance",
    );

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [created, passwordLine] = stdout.trim().split("\n");
    const [upn, id, enabled] = (created ?? "").split("\t");
    expect([upn, enabled]).toEqual(["adele.vance@contoso.example", "accountEnabled true"]);
    const password = passwordLine?.replace("Temporary password: ", "") ?? "";
    expect(password.length).toBeGreaterThan(12);
    const user = await tenant.call<Record<string, unknown>>("GET", `/api/users/${id}`);
    expect(user.body).toMatchObject({ displayName: "Adele Vance", mailNickname: "adele.vance" });
    expect(JSON.stringify(user.body)).not.toContain(password);
  });

  it("create-group.mjs creates a security group, adds one member by $ref and one by members@odata.bind", async () => {
    const tenant = await newTenant(app);
    const [adele, alex] = [await tenant.user(), await tenant.user()];

    const { code, stdout, stderr } = await script(
      "create-group.mjs",
      tenant.admin,
      "Sales team",
      adele.userPrincipalName,
      alex.userPrincipalName,
    );

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [created, byRef, byBind, ...rest] = stdout.trim().split("\n");
    const [name, groupId] = (created ?? "").split("\t");
    expect(name).toBe("Sales team");
    expect([byRef, byBind]).toEqual([
      `${adele.userPrincipalName}\tadded with members/$ref`,
      `${alex.userPrincipalName}\tadded with members@odata.bind`,
    ]);
    expect(rest.slice(0, 2).sort()).toEqual(
      [`member\t${adele.userPrincipalName}`, `member\t${alex.userPrincipalName}`].sort(),
    );
    expect(rest.slice(2)).toEqual([`${adele.userPrincipalName} is a member of\tSales team`]);
    const group = await tenant.call<Record<string, unknown>>("GET", `/api/groups/${groupId}`);
    expect(group.body).toMatchObject({
      displayName: "Sales team",
      mailNickname: "salesteam",
      securityEnabled: true,
      mailEnabled: false,
    });
    const members = await tenant.call<{ value: { id: string }[] }>("GET", `/api/groups/${groupId}/members`);
    expect(members.body.value.map((m) => m.id).sort()).toEqual([adele.id, alex.id].sort());
  });

  it("license-group.mjs puts a license with a service off on a group and waits until every member holds it", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 5);
    const members = await Promise.all(Array.from({ length: 3 }, () => tenant.user()));
    const group = await newGroup(tenant, "Sales team", members);

    const { code, stdout, stderr } = await script(
      "license-group.mjs",
      tenant.admin,
      group.id,
      "ENTERPRISEPACK",
      "SWAY",
    );

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [accepted, complete, ...held] = stdout.trim().split("\n");
    expect(accepted).toMatch(
      /^Sales team carries ENTERPRISEPACK without SWAY\t(QueuedForProcessing|ProcessingInProgress|ProcessingComplete)$/,
    );
    expect(complete).toBe("ProcessingComplete\t3 of 3 members, 0 in error");
    expect(held.sort()).toEqual(
      members.map((m) => `${m.userPrincipalName}\tENTERPRISEPACK assignedByGroup ${group.id}\tActive`).sort(),
    );
    const stored = await tenant.call<{ assignedLicenses: unknown[] }>("GET", `/api/groups/${group.id}`);
    expect(stored.body.assignedLicenses).toEqual([
      { skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] },
    ]);
    for (const member of members) {
      const user = await tenant.call<UserLicenses>("GET", `/api/users/${member.id}`);
      expect(user.body.assignedLicenses).toEqual([
        { skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] },
      ]);
      expect(user.body.licenseAssignmentStates).toMatchObject([
        { skuId: skus.e3, assignedByGroup: group.id, state: "Active", error: "None" },
      ]);
    }
    expect((await tenant.sku(skus.e3)).consumedUnits).toBe(3);
  });

  it("list-license-errors.mjs lists the groups with hasMembersWithLicenseErrors and the members short of a seat", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 1);
    const members = await Promise.all(Array.from({ length: 3 }, () => tenant.user()));
    const short = await newGroup(tenant, "Short of seats", members);
    await newGroup(tenant, "Unlicensed", members.slice(0, 1));
    await licenseGroup(tenant, short.id, skus.e3);

    const { code, stdout, stderr } = await script("list-license-errors.mjs", tenant.admin);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [heading, ...lines] = stdout.trim().split("\n");
    expect(heading).toBe(`Short of seats\t${short.id}`);
    // Exactly the two members the API says hold no E3 are listed, each with CountViolation.
    const unlicensed = [];
    for (const member of members) {
      const user = await tenant.call<UserLicenses>("GET", `/api/users/${member.id}`);
      if (user.body.assignedLicenses.length === 0) unlicensed.push(member.userPrincipalName);
    }
    expect(unlicensed).toHaveLength(2);
    expect(lines.sort()).toEqual(
      unlicensed.map((upn) => `  ${upn}\tENTERPRISEPACK\tError\tCountViolation`).sort(),
    );
  });

  it("reprocess-user.mjs gives a member the group's license once the conflict that held it back is gone", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 1);
    await tenant.buy(skus.exchangePlan1, 1);
    const user = await tenant.user({ licenses: [{ skuId: skus.exchangePlan1 }] });
    // E3's Exchange Online (Plan 2) cannot join the user's Exchange Online (Plan 1).
    const group = await newGroup(tenant, "Enterprise", [user]);
    await licenseGroup(tenant, group.id, skus.e3);
    const held = await tenant.call<UserLicenses>("GET", `/api/users/${user.id}`);
    expect(held.body.licenseAssignmentStates).toContainEqual(
      expect.objectContaining({
        skuId: skus.e3,
        assignedByGroup: group.id,
        error: "MutuallyExclusiveViolation",
      }),
    );
    await tenant.assign(user.id, { addLicenses: [], removeLicenses: [skus.exchangePlan1] });

    const { code, stdout, stderr } = await script("reprocess-user.mjs", tenant.admin, user.userPrincipalName);

    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([
      `before\tENTERPRISEPACK\tgroup ${group.id}\tError\tMutuallyExclusiveViolation`,
      `after\tENTERPRISEPACK\tgroup ${group.id}\tActive\tNone`,
    ]);
    const after = await tenant.call<UserLicenses>("GET", `/api/users/${user.id}`);
    expect(after.body.assignedLicenses).toEqual([{ skuId: skus.e3, disabledPlans: [] }]);
    expect((await tenant.sku(skus.e3)).consumedUnits).toBe(1);
  });

  it("read-license-detail.mjs reads one license by the id licenseDetails gives it", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 2);
    const user = await tenant.user();
    await tenant.assign(user.id, {
      addLicenses: [{ skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] }],
    });

    const { code, stdout, stderr } = await script(
      "read-license-detail.mjs",
      tenant.admin,
      user.userPrincipalName,
      "ENTERPRISEPACK",
    );

    expect(stderr).toBe("");
    expect(code).toBe(0);
    const [heading, ...lines] = stdout.trim().split("\n");
    expect(heading).toBe(`ENTERPRISEPACK\t${skus.e3}`);
    expect(lines).toContain("SWAY\tDisabled");
    expect(lines).toHaveLength(productOf("ENTERPRISEPACK").servicePlans.length);
    expect(lines.filter((line) => line.endsWith("\tDisabled"))).toEqual(["SWAY\tDisabled"]);
  });

  it("handle-count-violation.mjs reads CountViolation from GraphError.code", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 1);
    const [first, second] = [await tenant.user(), await tenant.user()];
    await tenant.assign(first.id, { addLicenses: [{ skuId: skus.e3, disabledPlans: [] }] });
    const upn = second.userPrincipalName;

    const { code, stdout, stderr } = await script(
      "handle-count-violation.mjs",
      tenant.admin,
      upn,
      "ENTERPRISEPACK",
    );

    expect(stderr).toBe("");
    expect(code).toBe(3);
    expect(stdout).toMatch(/^No seat left \(409 CountViolation\): .*1 .*licen/);
  });
});

describe("the Graph SDK's own reading of the service", () => {
  /** A client configured as examples/graph-sdk/client.mjs does, for one tenant's token. */
  function sdkClient(token: string): Client {
    const { host, hostname } = new URL(app.url);
    return Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: `https://${host}`,
      customHosts: new Set([hostname]),
    });
  }

  /** What the SDK throws for a request, as a script's catch sees it. */
  async function graphErrorOf(request: Promise<unknown>): Promise<GraphError> {
    try {
      await request;
    } catch (error) {
      if (error instanceof GraphError) return error;
      throw error;
    }
    throw new Error("the request succeeded");
  }

  it("gives GraphError the code, message, status and request id of NotFound, ValidationFailed and Forbidden", async () => {
    const tenant = await newTenant(app);
    const client = sdkClient(tenant.admin);

    const notFound = await graphErrorOf(client.api("/users/nobody@contoso.example").get());
    expect([notFound.statusCode, notFound.code]).toEqual([404, "NotFound"]);
    expect(notFound.message).toMatch(/nobody@contoso\.example/);
    expect(notFound.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(notFound.headers?.get("request-id")).toBe(notFound.requestId);

    const invalid = await graphErrorOf(client.api("/users").filter("endswith(displayName,'x')").get());
    expect([invalid.statusCode, invalid.code]).toEqual([400, "ValidationFailed"]);
    expect(invalid.message).toMatch(/endswith/);

    const reader = sdkClient(await app.token(tenant.tenantId, { roles: ["LicenseAdministrator"] }));
    const user = await tenant.user();
    await tenant.buy(skus.e3, 1);
    const forbidden = await graphErrorOf(reader.api(`/users/${user.id}`).patch({ displayName: "Renamed" }));
    expect([forbidden.statusCode, forbidden.code]).toEqual([403, "Forbidden"]);
    expect(forbidden.message).toMatch(/roles/);
  });

  it("sets the organization's default country and a user's usageLocation, and reads both, as Graph's docs do", async () => {
    const tenant = await newTenant(app);
    const client = sdkClient(tenant.admin);
    const before = (await client.api("/organization").get()) as { value: { id: string }[] };
    const [organization] = before.value;
    expect(organization?.id).toBe(tenant.tenantId);
    await client.api(`/organization/${tenant.tenantId}`).patch({ countryLetterCode: "SE" });
    const after = (await client.api("/organization").select("id,countryLetterCode").get()) as {
      value: { countryLetterCode: string }[];
    };
    expect(after.value[0]?.countryLetterCode).toBe("SE");

    const user = await tenant.user();
    const defaulted = (await client.api(`/users/${user.id}`).select("usageLocation").get()) as Record<
      string,
      unknown
    >;
    expect(defaulted.usageLocation).toBe("SE");
    await client.api(`/users/${user.id}`).patch({ usageLocation: "NO" });
    const moved = (await client.api(`/users/${user.id}`).select("usageLocation").get()) as Record<
      string,
      unknown
    >;
    expect(moved.usageLocation).toBe("NO");
  });

  it("reads $count with ConsistencyLevel, $top pages and a userPrincipalName key as Graph's docs show them", async () => {
    const tenant = await newTenant(app);
    await tenant.buy(skus.e3, 5);
    const users = await Promise.all(Array.from({ length: 3 }, () => tenant.user()));
    const client = sdkClient(tenant.admin);

    const counted = (await client
      .api("/users")
      .header("ConsistencyLevel", "eventual")
      .count(true)
      .top(2)
      .get()) as { "@odata.count": number; value: unknown[]; "@odata.nextLink"?: string };
    expect(counted["@odata.count"]).toBe(3);
    expect(counted.value).toHaveLength(2);
    expect(counted["@odata.nextLink"]).toMatch(/^https:\/\//);

    const count = await client.api("/users/$count").header("ConsistencyLevel", "eventual").get();
    expect(Number(count)).toBe(3);

    const [first] = users;
    if (!first) throw new Error("no user");
    const byName = (await client
      .api(`/users/${first.userPrincipalName.toUpperCase()}`)
      .select("id,userPrincipalName")
      .get()) as Record<string, unknown>;
    expect(byName).toEqual({
      "@odata.context": `${app.url}/v1.0/$metadata#users(id,userPrincipalName)/$entity`,
      id: first.id,
      userPrincipalName: first.userPrincipalName,
    });
  });
});
