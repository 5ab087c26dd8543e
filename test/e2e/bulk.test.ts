// Many users at once (R10, R11): bulk jobs through the queue, refusals and partial jobs, dry runs,
// retries, idempotency, a worker restarted mid-job, and bulk racing single assignments.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { functions } from "../../functions/registry.js";
import { type RunningTriggers, startTriggers } from "../../local/triggers.js";
import { bindingSettings } from "../../shared/config.js";
import type { Deps } from "../../shared/usecases/deps.js";
import { groupSize as bulkGroupSize, processBulkChunk } from "../../shared/usecases/process-bulk-chunk.js";
import { skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
let worker: RunningTriggers | undefined;
const startWorker = () => {
  const settings = bindingSettings(app.services.config);
  worker = startTriggers({
    functions,
    serviceBus: app.services.serviceBus,
    setting: (name) => settings[name],
  });
};
const stopWorker = async () => {
  await worker?.close();
  worker = undefined;
};

beforeAll(async () => {
  app = await startTestApp({ triggers: false });
  startWorker();
});
afterAll(async () => {
  await stopWorker();
  await app?.close();
});

type Tenant = Awaited<ReturnType<typeof newTenant>>;
interface Details {
  value: { servicePlans: { provisioningStatus: string }[] }[];
}
interface Job {
  jobId: string;
  status: string;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  results?: { userId: string; outcome: string; code?: string }[];
  nextLink?: string;
}

async function users(t: Tenant, count: number, licenses: { skuId: string }[] = []) {
  const created = [];
  for (let i = 0; i < count; i++) created.push(await t.user({ licenses }));
  return created.map((u) => u.id);
}

async function submit(t: Tenant, body: unknown, headers: Record<string, string> = {}) {
  return app.call<{ jobId: string }>("POST", "/api/licenses/bulk", { token: t.admin, body, headers });
}

const finished = (t: Tenant, jobId: string) =>
  eventually(
    async () => (await t.call<Job>("GET", `/api/jobs/${jobId}?top=1000`)).body,
    (job) => ["Succeeded", "PartiallySucceeded", "Failed"].includes(job.status),
    { timeoutMs: 30_000 },
  );

const skusOf = async (t: Tenant, userId: string) =>
  (
    (await t.call<{ assignedLicenses: { skuId: string }[] }>("GET", `/api/users/${userId}`)).body
      .assignedLicenses ?? []
  )
    .map((l) => l.skuId)
    .sort();

describe("bulk jobs", () => {
  it("adds a license to every user, answering 202 at once and showing progress to the end", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 40);
    const ids = await users(t, 30);
    const accepted = await submit(t, {
      userIds: ids,
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get("location")).toBe(`/api/jobs/${accepted.body.jobId}`);

    const job = await finished(t, accepted.body.jobId);
    expect(job).toMatchObject({ status: "Succeeded", total: 30, processed: 30, succeeded: 30, failed: 0 });
    expect(job.results).toHaveLength(30);
    expect(await t.sku(skus.businessBasic)).toMatchObject({ consumedUnits: 30, availableUnits: 10 });
    for (const id of ids.slice(0, 3)) expect(await skusOf(t, id)).toEqual([skus.businessBasic]);

    const firstPage = await t.call<Job>("GET", `/api/jobs/${accepted.body.jobId}?top=10`);
    expect(firstPage.body.results).toHaveLength(10);
    const next = new URL(firstPage.body.nextLink ?? "");
    const secondPage = await t.call<Job>("GET", `${next.pathname}${next.search}`);
    expect(secondPage.body.results?.[0]?.userId).toBe(job.results?.[10]?.userId);
  });

  it("lists the tenant's recent jobs newest first with their progress and what they do, not another tenant's", async () => {
    const t = await newTenant(app);
    const other = await newTenant(app);
    await t.buy(skus.businessBasic, 10);
    const ids = await users(t, 4);
    const first = await submit(t, {
      userIds: ids.slice(0, 2),
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    await finished(t, first.body.jobId);
    const second = await submit(t, {
      userIds: ids.slice(2),
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    await finished(t, second.body.jobId);

    const list = await t.call<{ value: Job[] }>("GET", "/api/jobs");
    expect(list.status).toBe(200);
    expect(list.body.value.map((j) => j.jobId)).toEqual([second.body.jobId, first.body.jobId]);
    expect(list.body.value[0]).toMatchObject({
      status: "Succeeded",
      operation: "add",
      total: 2,
      processed: 2,
      licenses: [{ skuId: skus.businessBasic, disabledPlans: [] }],
    });
    expect(list.body.value[0]).not.toHaveProperty("results");
    expect((await t.call<{ value: Job[] }>("GET", "/api/jobs?$top=1")).body.value).toHaveLength(1);
    expect((await other.call<{ value: Job[] }>("GET", "/api/jobs")).body.value).toEqual([]);
    expect((await t.call("GET", "/api/jobs?$top=0")).status).toBe(400);
  });

  it("replaces, removes and removes all, leaving users with exactly what was asked", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 10);
    await t.buy(skus.appsForBusiness, 10);
    await t.buy(skus.exchangePlan1, 10);
    const ids = await users(t, 4, [{ skuId: skus.businessBasic }]);
    await t.assign(ids[0] ?? "", { addLicenses: [{ skuId: skus.appsForBusiness }] });

    const replaced = await finished(
      t,
      (await submit(t, { userIds: ids, operation: "replace", licenses: [{ skuId: skus.appsForBusiness }] }))
        .body.jobId,
    );
    expect(replaced.status).toBe("Succeeded");
    for (const id of ids) expect(await skusOf(t, id)).toEqual([skus.appsForBusiness]);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(0);
    expect((await t.sku(skus.appsForBusiness)).consumedUnits).toBe(4);

    await finished(
      t,
      (
        await submit(t, {
          userIds: ids.slice(0, 2),
          operation: "add",
          licenses: [{ skuId: skus.exchangePlan1 }],
        })
      ).body.jobId,
    );
    const removed = await finished(
      t,
      (await submit(t, { userIds: ids, operation: "remove", licenses: [{ skuId: skus.appsForBusiness }] }))
        .body.jobId,
    );
    expect(removed.status).toBe("Succeeded");
    expect(await skusOf(t, ids[0] ?? "")).toEqual([skus.exchangePlan1]);
    expect(await skusOf(t, ids[3] ?? "")).toEqual([]);

    const all = await finished(t, (await submit(t, { userIds: ids, operation: "removeAll" })).body.jobId);
    expect(all.status).toBe("Succeeded");
    for (const id of ids) expect(await skusOf(t, id)).toEqual([]);
    expect((await t.sku(skus.exchangePlan1)).consumedUnits).toBe(0);
  });

  it("removes all from users holding two licenses each, more writes than one transaction holds", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 50);
    await t.buy(skus.appsForBusiness, 50);
    // 50 users, each a user row and two holder rows to change: 150 writes for one chunk.
    const ids = await users(t, 50, [{ skuId: skus.businessBasic }, { skuId: skus.appsForBusiness }]);
    const mailbox = async (id: string) => (await t.call("GET", `/api/users/${id}/mailbox`)).body.state;
    for (const id of ids)
      await eventually(
        () => mailbox(id),
        (state) => state === "Active",
      );
    const all = await finished(t, (await submit(t, { userIds: ids, operation: "removeAll" })).body.jobId);
    expect(all).toMatchObject({ status: "Succeeded", succeeded: 50 });
    for (const id of ids) expect(await skusOf(t, id)).toEqual([]);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(0);
    expect((await t.sku(skus.appsForBusiness)).consumedUnits).toBe(0);
    // Their mailboxes are kept for the retention period, from the job's own transactions.
    for (const id of ids) expect(await mailbox(id)).toBe("Retained");
  });

  it("refuses a job the seats cannot cover, saying how many are missing, and starts nothing", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 5);
    const ids = await users(t, 8);
    const refused = await submit(t, {
      userIds: ids,
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "CountViolation" });
    expect(String((refused.body as { detail?: string }).detail)).toMatch(/3 more licenses/);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(0);
  });

  it("serves users in order until seats run out with allowPartial, and retries only the failures", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 5);
    const ids = await users(t, 8);
    const unknown = randomUUID();
    const job = await finished(
      t,
      (
        await submit(t, {
          userIds: [...ids, unknown],
          operation: "add",
          licenses: [{ skuId: skus.businessBasic }],
          allowPartial: true,
        })
      ).body.jobId,
    );
    expect(job).toMatchObject({ status: "PartiallySucceeded", total: 9, succeeded: 5, failed: 4 });
    expect(job.results?.slice(0, 5).every((r) => r.outcome === "Succeeded")).toBe(true);
    expect(job.results?.slice(5, 8).map((r) => r.code)).toEqual([
      "CountViolation",
      "CountViolation",
      "CountViolation",
    ]);
    expect(job.results?.find((r) => r.userId === unknown)?.code).toBe("NotFound");
    expect((await t.sku(skus.businessBasic)).availableUnits).toBe(0);

    await t.buy(skus.businessBasic, 3);
    const retry = await t.call<{ jobId: string }>("POST", `/api/jobs/${job.jobId}/retry`);
    expect(retry.status).toBe(202);
    const retried = await finished(t, retry.body.jobId);
    expect(retried).toMatchObject({ total: 4, succeeded: 3, failed: 1 });
    expect(retried.results?.find((r) => r.outcome === "Failed")?.code).toBe("NotFound");
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(8);
  });

  it("previews a job with ?dryRun=true without changing anything, or answers the 409 the job would get", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 2);
    const ids = await users(t, 3);
    const preview = await app.call<{
      dryRun: boolean;
      seats: { skuId: string; needed: number; available: number; missing: number }[];
      users: { userId: string; outcome: string; code?: string }[];
    }>("POST", "/api/licenses/bulk?dryRun=true", {
      token: t.admin,
      body: { userIds: ids, operation: "add", licenses: [{ skuId: skus.businessBasic }], allowPartial: true },
    });
    expect(preview.status).toBe(200);
    expect(preview.body.seats).toEqual([{ skuId: skus.businessBasic, needed: 3, available: 2, missing: 1 }]);
    expect(preview.body.users.map((u) => u.code ?? u.outcome)).toEqual([
      "Succeeded",
      "Succeeded",
      "CountViolation",
    ]);
    // Without allowPartial the job itself would be refused, and so is its dry run (docs/bulk.md).
    const refused = await app.call("POST", "/api/licenses/bulk?dryRun=true", {
      token: t.admin,
      body: { userIds: ids, operation: "add", licenses: [{ skuId: skus.businessBasic }] },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: "CountViolation",
      errors: [{ skuId: skus.businessBasic, requested: 3, available: 2 }],
    });
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(0);
  });

  it("refuses duplicate user ids and answers a repeated Idempotency-Key with the first job", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 5);
    const ids = await users(t, 2);
    const duplicate = await submit(t, {
      userIds: [ids[0], ids[1], ids[0]],
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(duplicate.status).toBe(400);
    expect(JSON.stringify(duplicate.body)).toContain("appears twice");

    const body = { userIds: ids, operation: "add", licenses: [{ skuId: skus.businessBasic }] };
    const key = { "idempotency-key": randomUUID() };
    const first = await submit(t, body, key);
    const again = await submit(t, body, key);
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(first.body.jobId);
    const other = await submit(t, { ...body, operation: "replace" }, key);
    expect(other.status).toBe(409);
    await finished(t, first.body.jobId);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(2);
  });

  it("finishes a job whose worker died mid-chunk, applying every user once", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 250);
    const ids: string[] = [];
    const { deps } = app.services;
    for (let i = 0; i < 240; i++) {
      const created = await t.call<{ id: string }>("POST", "/api/users", {
        userPrincipalName: `bulk${i}-${randomUUID().slice(0, 6)}@contoso.example`,
        displayName: `Bulk ${i}`,
      });
      ids.push(created.body.id);
    }
    await stopWorker();
    // Whatever happens below, the next tests get their worker back.
    onTestFinished(() => {
      if (!worker) startWorker();
    });
    const accepted = await submit(t, {
      userIds: ids,
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    // A worker that dies after committing two groups of its chunk.
    let commits = 0;
    const dying = Object.create(deps.outbox) as typeof deps.outbox;
    dying.commit = async (...args) => {
      if (++commits > 2) throw new Error("worker killed");
      return deps.outbox.commit(...args);
    };
    const crashing: Deps = { ...deps, outbox: dying };
    await expect(processBulkChunk(crashing, t.tenantId, accepted.body.jobId, 0)).rejects.toThrow(
      "worker killed",
    );
    const midway = (await t.call<Job>("GET", `/api/jobs/${accepted.body.jobId}`)).body;
    expect(midway).toMatchObject({ status: "Running", processed: 2 * bulkGroupSize });

    startWorker(); // the restarted worker gets both chunks' messages, chunk 0 half done
    const job = await finished(t, accepted.body.jobId);
    expect(job).toMatchObject({ status: "Succeeded", total: 240, succeeded: 240 });
    // A chunk delivered again changes nothing.
    expect(await processBulkChunk(deps, t.tenantId, accepted.body.jobId, 0)).toBe(false);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(240);
    const audit = await deps.store.listAudit(t.tenantId);
    const perUser = new Map<string, number>();
    for (const r of audit.filter((a) => a.action === "bulk:add")) {
      for (const { userId } of r.after as { userId: string }[])
        perUser.set(userId, (perUser.get(userId) ?? 0) + 1);
    }
    expect(perUser.size).toBe(240);
    expect([...perUser.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);

  it("provisions a chunk's users, and retains their mailboxes, in the chunk's own transactions", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 3);
    const ids = await users(t, 3);
    await stopWorker(); // no worker: whatever is provisioned below, the chunk did
    onTestFinished(() => {
      if (!worker) startWorker();
    });
    const { deps } = app.services;
    const statuses = async (id: string) =>
      (await t.call<Details>("GET", `/api/users/${id}/licenseDetails`)).body.value.flatMap((l) =>
        l.servicePlans.map((p) => p.provisioningStatus),
      );
    const mailbox = async (id: string) => (await t.call("GET", `/api/users/${id}/mailbox`)).body.state;

    const added = await submit(t, {
      userIds: ids,
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
    });
    expect(await processBulkChunk(deps, t.tenantId, added.body.jobId, 0)).toBe(true);
    for (const id of ids) {
      const plans = await statuses(id);
      expect(plans.length).toBeGreaterThan(0);
      expect(plans.every((status) => status === "Success")).toBe(true);
      expect(await mailbox(id)).toBe("Active");
    }

    const removed = await submit(t, { userIds: ids, operation: "removeAll" });
    expect(await processBulkChunk(deps, t.tenantId, removed.body.jobId, 0)).toBe(true);
    for (const id of ids) expect(await mailbox(id)).toBe("Retained");
  });

  it("keeps counts exact when a bulk job races single assignments for the last seats", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 20);
    const bulkUsers = await users(t, 25);
    const singles = await users(t, 15);
    const accepted = await submit(t, {
      userIds: bulkUsers,
      operation: "add",
      licenses: [{ skuId: skus.businessBasic }],
      allowPartial: true,
    });
    const singleResults = await Promise.all(
      singles.map((id) => t.assign(id, { addLicenses: [{ skuId: skus.businessBasic }] })),
    );
    const job = await finished(t, accepted.body.jobId);
    const singleWins = singleResults.filter((r) => r.status === 200).length;
    expect(job.succeeded + singleWins).toBe(20);
    expect(singleResults.every((r) => r.status === 200 || r.body.code === "CountViolation")).toBe(true);
    expect(await t.sku(skus.businessBasic)).toMatchObject({ consumedUnits: 20, availableUnits: 0 });
    const holders = await t.call<{ value: unknown[] }>(
      "GET",
      `/api/users?skuId=${skus.businessBasic}&top=999`,
    );
    expect(holders.body.value).toHaveLength(20);
  }, 60_000);
});

describe("the product-centric routes", () => {
  it("assigns one product to a list of users with a result each, and unassigns it", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 3);
    const ids = await users(t, 2);
    const guest = (await t.user({ userType: "Guest" })).id;
    const missing = randomUUID();
    const userAdmin = await app.token(t.tenantId, { roles: ["UserAdministrator"] });
    const assigned = await app.call<{ value: { userId: string; outcome: string; code?: string }[] }>(
      "POST",
      `/api/subscribedSkus/${skus.e3}/assign`,
      { token: userAdmin, body: { userIds: [...ids, guest, missing] } },
    );
    expect(assigned.status).toBe(200);
    expect(assigned.body.value.map((r) => r.code ?? r.outcome)).toEqual([
      "Succeeded",
      "Succeeded",
      "GuestLicenseRequiresGlobalAdministrator",
      "NotFound",
    ]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(2);

    const tooMany = await t.call("POST", `/api/subscribedSkus/${skus.e3}/assign`, {
      userIds: await users(t, 2),
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.code).toBe("CountViolation");

    const unassigned = await t.call<{ value: { outcome: string }[] }>(
      "POST",
      `/api/subscribedSkus/${skus.e3}/unassign`,
      {
        userIds: ids,
      },
    );
    expect(unassigned.body.value.every((r) => r.outcome === "Succeeded")).toBe(true);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(0);
  });
});
