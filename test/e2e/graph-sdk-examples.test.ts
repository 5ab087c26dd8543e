// Runs each script of examples/graph-sdk, as an admin would, with Microsoft's own Graph SDK against
// the service over https: the scripts change nothing but the host and the token.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plans, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const run = promisify(execFile);
const examples = fileURLToPath(new URL("../../examples/graph-sdk/", import.meta.url));

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ https: true, triggers: false });
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
        // The development certificate, as the README tells an admin to trust it.
        NODE_EXTRA_CA_CERTS: app.certPath ?? "",
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
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
