// Table Storage outages over real HTTP: while Azurite is frozen (SIGSTOP) or gone (killed), every
// call answers 503 ServiceUnavailable with Retry-After within a bounded time, health names what is
// down, the queue trigger abandons; once storage is back the same calls succeed.
import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import functionsLibrary from "@azure/functions";
import { describe, expect, it } from "vitest";
import { handleProvisioningMessage } from "../../functions/provisioning-worker.js";
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

/** A read, an assignment, health and the queue trigger, each timed, while storage is down. */
async function expectAllUnavailable(
  app: TestApp,
  t: Awaited<ReturnType<typeof newTenant>>,
  userId: string,
  outage: string,
): Promise<void> {
  const read = await timed(() => t.call("GET", `/api/users/${userId}`));
  expectUnavailable("read", read);
  const assign = await timed(() => t.assign(userId, { addLicenses: [{ skuId: skus.businessStandard }] }));
  expectUnavailable("assignLicense", assign);
  const health = await timed(() => app.call("GET", "/api/health"));
  expect(health.value.status).toBe(503);
  expect(health.value.body).toEqual({ status: "degraded", storage: "down", queue: "ok" });
  expect(health.value.headers.get("retry-after")).toMatch(/^\d+$/);
  expect(health.ms).toBeLessThan(healthBoundMs + marginMs);

  const event = {
    specversion: "1.0",
    id: randomUUID(),
    source: "/identity-sync",
    type: "user.offboarded",
    data: { tenantId: t.tenantId, userId },
  };
  const context = new InvocationContext({ invocationId: randomUUID(), functionName: "provisioningWorker" });
  const worker = await timed(() =>
    handleProvisioningMessage(JSON.stringify(event), context).then(
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

async function expectAllWork(
  app: TestApp,
  t: Awaited<ReturnType<typeof newTenant>>,
  userId: string,
): Promise<void> {
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
