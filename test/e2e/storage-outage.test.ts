// Table Storage outages over real HTTP: while Azurite is frozen (SIGSTOP) or gone (killed), every
// call answers 503 ServiceUnavailable with Retry-After within a bounded time, health names what is
// down, the queue trigger abandons; once storage is back the same calls succeed. Storage that comes
// back without the table (deleted, or Azurite restarted empty) gets it again, without a restart.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TableServiceClient } from "@azure/data-tables";
import functionsLibrary, { type Timer } from "@azure/functions";
import { describe, expect, inject, it } from "vitest";
import { handleProvisioningMessage } from "../../functions/provisioning-worker.js";
import { functions } from "../../functions/registry.js";
import { type RunningAzurite, startAzurite } from "../../local/azurite.js";
import { EventRejected } from "../../shared/domain/event-rejected.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { type ApiResponse, newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const { InvocationContext } = functionsLibrary;

/** The bound docs/api.md gives for an answer while storage is unreachable, and health's. */
const storageBoundMs = 10_000;
const healthBoundMs = 2_000;
/** Generous: the machine is shared, and the bound is about the service, not the scheduler. */
const marginMs = 1_500;

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await call();
  return { value, ms: Math.round(performance.now() - started) };
}

function expectUnavailable(what: string, { value, ms }: { value: ApiResponse; ms: number }): void {
  expect(value.status, `${what}: ${JSON.stringify(value.body)}`).toBe(503);
  expect(value.headers.get("content-type")).toBe("application/json");
  expect(value.body).toMatchObject({ status: 503, code: "ServiceUnavailable" });
  expect(value.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(ms, what).toBeLessThan(storageBoundMs + marginMs);
}

async function setUp(azurite: RunningAzurite) {
  const app = await startTestApp({ tablesConnection: azurite.connectionString, triggers: false });
  const t = await newTenant(app);
  await t.buy(skus.businessStandard, 5);
  const user = await t.user();
  return { app, t, user };
}

type Tenant = Awaited<ReturnType<typeof newTenant>>;

/** What a trigger's run came to: "done", or the code of what it threw (the host runs it again). */
const outcomeOf = (run: () => unknown): Promise<string> =>
  Promise.resolve()
    .then(run)
    .then(
      () => "done",
      (error: unknown) => (error instanceof ProblemError ? error.code : String(error)),
    );

const offboarded = (tenantId: string, userId: string) =>
  JSON.stringify({
    specversion: "1.0",
    id: randomUUID(),
    source: "/identity-sync",
    type: "user.offboarded",
    data: { tenantId, userId },
  });

/** The queue worker on one message, as the host would call it. */
const runWorker = (message: string) =>
  outcomeOf(() =>
    handleProvisioningMessage(
      message,
      new InvocationContext({ invocationId: randomUUID(), functionName: "provisioningWorker" }),
    ),
  );

/** A read, an assignment, health and the queue trigger, each timed, while storage is down. */
async function expectAllUnavailable(app: TestApp, t: Tenant, userId: string, outage: string): Promise<void> {
  const read = await timed(() => t.call("GET", `/api/users/${userId}`));
  expectUnavailable("read", read);
  const assign = await timed(() => t.assign(userId, { addLicenses: [{ skuId: skus.businessStandard }] }));
  expectUnavailable("assignLicense", assign);
  const health = await timed(() => app.call("GET", "/api/health"));
  expect(health.value.status).toBe(503);
  expect(health.value.body).toEqual({ status: "degraded", storage: "down", queue: "ok" });
  expect(health.value.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(health.ms).toBeLessThan(healthBoundMs + marginMs);

  const context = new InvocationContext({ invocationId: randomUUID(), functionName: "provisioningWorker" });
  const worker = await timed(() =>
    handleProvisioningMessage(offboarded(t.tenantId, userId), context).then(
      () => undefined,
      (error: unknown) => error,
    ),
  );
  // Abandoned (thrown) for a retry, not rejected as the producer's mistake.
  expect(worker.value).toBeInstanceOf(ProblemError);
  expect(worker.value).not.toBeInstanceOf(EventRejected);
  expect((worker.value as ProblemError).code).toBe("ServiceUnavailable");
  expect(worker.ms).toBeLessThan(storageBoundMs + marginMs);

  console.info(
    `${outage}: 503 after read ${read.ms} ms, assignLicense ${assign.ms} ms, health ${health.ms} ms, queue trigger ${worker.ms} ms`,
  );
}

async function expectAllWork(app: TestApp, t: Tenant, userId: string): Promise<void> {
  expect((await t.call("GET", `/api/users/${userId}`)).status).toBe(200);
  // Safe to repeat: the assignment may have reached storage before the answer timed out.
  const assigned = await t.assign(userId, { addLicenses: [{ skuId: skus.businessStandard }] });
  expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
  expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(1);
  const health = await app.call("GET", "/api/health");
  expect(health.status).toBe(200);
  expect(health.body).toEqual({ status: "ok", storage: "ok", queue: "ok" });
}

describe("while Table Storage is unreachable", () => {
  it("answers 503 with Retry-After in bounded time while Azurite is frozen (SIGSTOP), and works again after SIGCONT", async () => {
    const azurite = await startAzurite({ port: 0, inMemory: true });
    const pid = azurite.pid ?? 0;
    const { app, t, user } = await setUp(azurite);
    try {
      process.kill(pid, "SIGSTOP");
      try {
        await expectAllUnavailable(app, t, user.id, "frozen");
      } finally {
        process.kill(pid, "SIGCONT");
      }
      await expectAllWork(app, t, user.id);
    } finally {
      await app.close();
      await azurite.stop();
    }
  }, 90_000);

  it("answers 503 with Retry-After in bounded time while Azurite is gone (killed), and works again once it is back", async () => {
    const location = mkdtempSync(join(tmpdir(), "azurite-outage-"));
    let azurite = await startAzurite({ port: 0, inMemory: false, location });
    const { app, t, user } = await setUp(azurite);
    try {
      // Azurite saves its database every few seconds: kill it only once the user is on disk.
      await eventually(
        async () =>
          readdirSync(location)
            .filter((file) => file.endsWith(".json"))
            .some((file) => readFileSync(join(location, file), "utf8").includes(user.id)),
        (saved) => saved,
        { timeoutMs: 20_000, intervalMs: 200 },
      );
      process.kill(azurite.pid ?? 0, "SIGKILL");
      await azurite.stop(); // resolves once the killed child has exited
      await expectAllUnavailable(app, t, user.id, "killed");
      azurite = await startAzurite({ port: azurite.port, inMemory: false, location });
      await expectAllWork(app, t, user.id);
    } finally {
      await app.close();
      await azurite.stop();
      rmSync(location, { recursive: true, force: true });
    }
  }, 90_000);
});

/** Every timer function once, as the host would call it on its schedule. */
async function runTimers(): Promise<Record<string, string>> {
  const timer: Timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: { last: "", next: "", lastUpdated: "" },
  };
  const timers = functions.flatMap((f) => (f.kind === "timer" ? [f] : []));
  expect(timers.length).toBeGreaterThan(0);
  const outcomes = await Promise.all(
    timers.map((f) =>
      outcomeOf(() =>
        f.options.handler(timer, new InvocationContext({ invocationId: randomUUID(), functionName: f.name })),
      ),
    ),
  );
  return Object.fromEntries(timers.map((f, i) => [f.name, outcomes[i] ?? ""]));
}

const newUserBody = () => {
  const name = `u${randomUUID().slice(0, 8)}`;
  return { userPrincipalName: `${name}@contoso.example`, displayName: name };
};

/** As it would answer on an empty table, or 503 with Retry-After while the table is missing. */
function expectServedOrUnavailable(what: string, response: ApiResponse, expected: number): void {
  if (response.status === 503) {
    expect(response.body, what).toMatchObject({ code: "ServiceUnavailable" });
    expect(response.headers.get("retry-after"), what).toMatch(/^\d+$/);
  } else {
    expect(response.status, `${what}: ${JSON.stringify(response.body)}`).toBe(expected);
  }
}

/**
 * Right after the table vanished, calls at once from every side answer as on an empty table or
 * 503 with Retry-After (never 500, never 429 from conflicts retried in vain); within seconds,
 * without a restart, writes, reads, health, the queue worker and the timers all work.
 */
async function expectTableCreatedAgain(app: TestApp, t: Tenant, lostUserId: string): Promise<void> {
  const [lostUser, listed, created, bought, health, worker, timers] = await Promise.all([
    t.call("GET", `/api/users/${lostUserId}`),
    t.call("GET", "/api/users"),
    t.call("POST", "/api/users", newUserBody()),
    t.call("POST", "/api/subscriptions", {
      skuId: skus.businessStandard,
      seats: 5,
      purchaseChannel: "Admin",
    }),
    app.call("GET", "/api/health"),
    runWorker(offboarded(t.tenantId, lostUserId)),
    runTimers(),
  ]);
  // The table's records are gone with it: the user is no more.
  expectServedOrUnavailable("read a lost user", lostUser, 404);
  expectServedOrUnavailable("list users", listed, 200);
  expectServedOrUnavailable("create a user", created, 201);
  expectServedOrUnavailable("buy a subscription", bought, 201);
  expect([200, 503], JSON.stringify(health.body)).toContain(health.status);
  expect(["done", "ServiceUnavailable"]).toContain(worker);
  for (const [name, outcome] of Object.entries(timers)) {
    expect(["done", "ServiceUnavailable"], name).toContain(outcome);
  }

  const started = performance.now();
  const working = await eventually(
    async () => {
      const user = await t.call<{ id: string }>("POST", "/api/users", newUserBody());
      const read = user.status === 201 ? await t.call("GET", `/api/users/${user.body.id}`) : user;
      const bought = await t.call("POST", "/api/subscriptions", {
        skuId: skus.businessStandard,
        seats: 1,
        purchaseChannel: "Admin",
      });
      const assigned =
        user.status === 201
          ? await t.assign(user.body.id, { addLicenses: [{ skuId: skus.businessStandard }] })
          : user;
      const health = await app.call("GET", "/api/health");
      return {
        created: user.status,
        read: read.status,
        bought: bought.status,
        assigned: assigned.status,
        health: health.body,
        worker: user.status === 201 ? await runWorker(offboarded(t.tenantId, user.body.id)) : "",
        timers: await runTimers(),
      };
    },
    (w) =>
      w.created === 201 &&
      w.read === 200 &&
      w.bought === 201 &&
      w.assigned === 200 &&
      w.health.status === "ok" &&
      w.worker === "done" &&
      Object.values(w.timers).every((outcome) => outcome === "done"),
    { timeoutMs: 5_000, intervalMs: 100 },
  );
  expect(working.health).toEqual({ status: "ok", storage: "ok", queue: "ok" });
  console.info(`table created again: everything works ${Math.round(performance.now() - started)} ms later`);
}

describe("when storage comes back without the table", () => {
  it("creates a deleted table again: 503 with Retry-After at worst, never 500 or 429, and all works within seconds", async () => {
    const app = await startTestApp({ triggers: false });
    try {
      const t = await newTenant(app);
      await t.buy(skus.businessStandard, 5);
      const user = await t.user();
      await TableServiceClient.fromConnectionString(inject("tablesConnection"), {
        allowInsecureConnection: true,
      }).deleteTable(app.services.config.tables.tableName);
      await expectTableCreatedAgain(app, t, user.id);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("creates it again when Azurite restarts empty (in memory), without restarting the service", async () => {
    let azurite = await startAzurite({ port: 0, inMemory: true });
    const { app, t, user } = await setUp(azurite);
    try {
      await azurite.stop();
      azurite = await startAzurite({ port: azurite.port, inMemory: true });
      await expectTableCreatedAgain(app, t, user.id);
    } finally {
      await app.close();
      await azurite.stop();
    }
  }, 90_000);
});
