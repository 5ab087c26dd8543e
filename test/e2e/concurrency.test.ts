// Seats stay exact under concurrency: many simultaneous requests through one host, and writers in
// separate "processes" (separate adapters and locks) racing on the same ETags.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "../../shared/composition.js";
import type { Actor } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { assignLicense } from "../../shared/usecases/assign-licenses.js";
import { skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function expectCountsAgree(t: Awaited<ReturnType<typeof newTenant>>, skuId: string, expected: number) {
  const sku = await t.sku(skuId);
  const holders = await t.call<{ value: { assignedLicenses: { skuId: string }[] }[] }>(
    "GET",
    `/api/users?skuId=${skuId}&top=999`,
  );
  const licensed = await t.call<{ value: { assignedLicenses: { skuId: string }[] }[] }>(
    "GET",
    "/api/users?licensed=true&top=999",
  );
  const holding = licensed.body.value.filter((u) => u.assignedLicenses.some((l) => l.skuId === skuId));
  expect(sku.consumedUnits).toBe(expected);
  expect(holders.body.value).toHaveLength(expected);
  expect(holding).toHaveLength(expected);
  expect(sku.availableUnits).toBe(sku.prepaidUnits.enabled - expected);
}

describe("concurrent assignments", () => {
  it("gives exactly 40 of 100 simultaneous requests the 40 available seats", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 40);
    const users = await Promise.all(Array.from({ length: 100 }, () => t.user()));

    const responses = await Promise.all(
      users.map((user) => t.assign(user.id, { addLicenses: [{ skuId: skus.businessStandard }] })),
    );
    const statuses = responses.map((r) => (r.status === 200 ? "ok" : String(r.body.code)));
    expect(statuses.filter((s) => s === "ok")).toHaveLength(40);
    expect(statuses.filter((s) => s === "CountViolation")).toHaveLength(60);
    await expectCountsAgree(t, skus.businessStandard, 40);
  }, 60_000);

  it("keeps seats exact when separate processes race on the same ledger", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 10);
    const users = await Promise.all(Array.from({ length: 30 }, () => t.user()));
    // Three independent adapter sets: no shared lock, only Table Storage ETags keep them honest.
    const processes = [1, 2, 3].map(() => createServices(app.services.config).deps);
    const actor: Actor = { tenantId: t.tenantId, objectId: "racer", roles: ["GlobalAdministrator"] };

    const results = await Promise.allSettled(
      users.map((user, i) =>
        assignLicense(
          processes[i % 3] ?? app.services.deps,
          actor,
          user.id,
          { addLicenses: [{ skuId: skus.businessBasic }], removeLicenses: [] },
          { dryRun: false },
        ),
      ),
    );
    const fulfilled = results.filter((r) => r.status === "fulfilled").length;
    const codes = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as ProblemError).code] : []));
    for (const result of results) {
      if (result.status === "rejected") expect(result.reason).toBeInstanceOf(ProblemError);
    }
    // A refusal for want of seats is only possible once all 10 were really taken; a writer that
    // lost too many races may give up with TooManyRequests, never with a wrong count.
    expect(codes.every((code) => code === "CountViolation" || code === "TooManyRequests")).toBe(true);
    expect(codes).toContain("CountViolation");
    expect(fulfilled).toBe(10);
    await expectCountsAgree(t, skus.businessBasic, fulfilled);
  }, 60_000);
});
