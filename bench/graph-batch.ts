// Benchmark (issue 12): users/s for 1,000 users assigned one product by each way a Graph script can,
// in one run against the service in its own process (`npm start -- --https`):
//   1. single POST /v1.0/users/{id}/assignLicense calls, one after another;
//   2. POST /v1.0/$batch of 20 assignLicense requests each, batches one after another (plain fetch);
//   3. the same through the Graph SDK (BatchRequestContent, client.api("/$batch").post);
//   4. one bulk job (POST /v1.0/licenses/bulk, then GET /v1.0/jobs/{id} until it is done).
// Target: $batch ≥ 5× the single-call rate.
//
// Arrangement: the SDK sends the token only over https, and Node trusts the development certificate
// only through NODE_EXTRA_CA_CERTS read at its start. So the service runs with --https and the client
// (all four methods, so they share one transport) is this file again in a child process started with
// that variable, as an admin's script would be; it reads its work as JSON on stdin and answers its
// timings as JSON on stdout. This process arranges tenant, seats and users through the adapters, and
// afterwards checks through the store that every user holds the product exactly once.
// Between methods it waits until the previous method's users are provisioned (the worker runs in the
// service process), so no method pays for another's background work.
//
// Alone: `npx tsx bench/graph-batch.ts [users per method]` (starts its own Azurite and broker).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { fileURLToPath, pathToFileURL } from "node:url";
import { BatchRequestContent, BatchResponseContent, Client } from "@microsoft/microsoft-graph-client";
import { startAzurite } from "../local/azurite.js";
import { mapLimit } from "../shared/concurrency/map-limit.js";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import type { Actor } from "../shared/domain/model.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import type { Deps } from "../shared/usecases/deps.js";
import { benchUser } from "./bulk.js";
import { startChildBroker } from "./child-broker.js";
import { startServiceProcess } from "./service-process.js";

const methods = ["single", "batch", "sdkBatch", "bulk"] as const;
type Method = (typeof methods)[number];
const batchSize = 20;
/** Users each method assigns before the measured ones (JIT, connections, caches), not counted. */
const warmUpUsers = 40;

interface ClientWork {
  readonly url: string;
  readonly token: string;
  readonly skuId: string;
  readonly warmUp: Record<Method, readonly string[]>;
  readonly measured: Record<Method, readonly string[]>;
}

export interface MethodFigures {
  readonly users: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** HTTP calls the client made (a bulk job's polls included). */
  readonly calls: number;
  /** Sum of the local host's Server-Timing over those calls: time inside the functions. */
  readonly functionSeconds: number;
}

export type GraphBatchFigures = Record<Method, MethodFigures>;

// ---------------------------------------------------------------------------------------------
// The client: runs in the child process that trusts the development certificate.

const assignBody = (skuId: string) => ({ addLicenses: [{ skuId, disabledPlans: [] }], removeLicenses: [] });

/** What the calls of one method cost: counted around global fetch, which the SDK calls too. */
class Meter {
  calls = 0;
  functionMs = 0;
}
let meter = new Meter();
const plainFetch = globalThis.fetch;
async function meteredFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await plainFetch(input, init);
  meter.calls++;
  // The local host's Server-Timing: how long the function itself ran.
  const timing = /function;dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "");
  meter.functionMs += Number(timing?.[1] ?? 0);
  return response;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function runMethod(work: ClientWork, method: Method, userIds: readonly string[]): Promise<void> {
  const { url, token, skuId } = work;
  const call = async (httpMethod: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${url}/v1.0${path}`, {
      method: httpMethod,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response;
  };
  const expect200 = (what: string, status: number, body: unknown) => {
    if (status !== 200) throw new Error(`${method}: ${what} answered ${status}: ${JSON.stringify(body)}`);
  };

  if (method === "single") {
    for (const id of userIds) {
      const response = await call("POST", `/users/${id}/assignLicense`, assignBody(skuId));
      expect200(`assignLicense of ${id}`, response.status, await response.json());
    }
  } else if (method === "batch") {
    for (const group of chunks(userIds, batchSize)) {
      const response = await call("POST", "/$batch", {
        requests: group.map((id, i) => ({
          id: String(i + 1),
          method: "POST",
          url: `/users/${id}/assignLicense`,
          headers: { "Content-Type": "application/json" },
          body: assignBody(skuId),
        })),
      });
      const answer = (await response.json()) as {
        responses?: { id: string; status: number; body: unknown }[];
      };
      expect200("$batch", response.status, answer);
      const inner = answer.responses ?? [];
      if (inner.length !== group.length)
        throw new Error(`${method}: ${inner.length} answers to ${group.length}`);
      for (const r of inner) expect200(`batch request ${r.id}`, r.status, r.body);
    }
  } else if (method === "sdkBatch") {
    // As examples/graph-sdk/batch-assign.mjs, which is written as Graph's docs write it.
    const client = Client.init({
      baseUrl: url,
      customHosts: new Set([new URL(url).hostname]),
      authProvider: (done) => done(null, token),
    });
    for (const group of chunks(userIds, batchSize)) {
      const steps = group.map((id, i) => ({
        id: String(i + 1),
        request: new Request(`${url}/users/${id}/assignLicense`, {
          method: "POST",
          body: JSON.stringify(assignBody(skuId)),
          headers: { "Content-Type": "application/json" },
        }),
      }));
      const content = await new BatchRequestContent(steps).getContent();
      const batchResponse = new BatchResponseContent(await client.api("/$batch").post(content));
      const responses = batchResponse.getResponses();
      if (responses.size !== group.length)
        throw new Error(`${method}: ${responses.size} answers to ${group.length}`);
      for (const [id, response] of responses)
        expect200(`batch request ${id}`, response.status, await response.text());
    }
  } else {
    const accepted = await call("POST", "/licenses/bulk", {
      userIds,
      operation: "add",
      licenses: [{ skuId }],
    });
    const { jobId } = (await accepted.json()) as { jobId: string };
    if (accepted.status !== 202) throw new Error(`bulk: POST /licenses/bulk answered ${accepted.status}`);
    for (;;) {
      const response = await call("GET", `/jobs/${jobId}?top=1`);
      const job = (await response.json()) as { status: string; succeeded: number };
      expect200("GET /jobs/{id}", response.status, job);
      if (job.status === "Succeeded" && job.succeeded === userIds.length) break;
      if (job.status !== "Running" && job.status !== "Queued")
        throw new Error(`bulk: the job ended ${job.status} with ${job.succeeded} of ${userIds.length}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** The child's loop: each command on stdin runs one method and answers its timing on stdout. */
async function clientMain(): Promise<void> {
  globalThis.fetch = meteredFetch;
  const lines = (await import("node:readline")).createInterface({ input: process.stdin });
  let work: ClientWork | undefined;
  for await (const line of lines) {
    const message = JSON.parse(line) as { work?: ClientWork; run?: Method; warmUp?: boolean };
    if (message.work) work = message.work;
    if (!message.run || !work) continue;
    const userIds = (message.warmUp ? work.warmUp : work.measured)[message.run];
    meter = new Meter();
    const started = performance.now();
    await runMethod(work, message.run, userIds);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(
      `${JSON.stringify({ users: userIds.length, seconds, calls: meter.calls, functionMs: meter.functionMs })}\n`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The benchmark: arranges, drives the client child, checks.

/** Every user holds `skuId` exactly once, and the ledger counts exactly the users licensed. */
async function checkLicensed(deps: Deps, tenantId: string, skuId: string, userIds: readonly string[]) {
  const found = await deps.store.getUsers(tenantId, userIds);
  const wrong = userIds.filter(
    (id) => found.get(id)?.value.assignedLicenses.filter((l) => l.skuId === skuId).length !== 1,
  );
  if (wrong.length > 0) throw new Error(`${wrong.length} users do not hold the product exactly once`);
  const holders = await deps.store.listAllHolderIds(tenantId, skuId);
  const missing = userIds.filter((id) => !holders.has(id));
  if (missing.length > 0)
    throw new Error(`${missing.length} licensed users are missing from the holders index`);
  const ledger = await deps.store.getLedger(tenantId, skuId);
  if (ledger?.value.consumed !== holders.size)
    throw new Error(`the ledger counts ${ledger?.value.consumed} seats for ${holders.size} holders`);
}

/** Waits until the worker has provisioned every plan of these users (or gives up after 3 minutes). */
async function provisioned(deps: Deps, tenantId: string, userIds: readonly string[]): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const users = await deps.store.getUsers(tenantId, userIds);
    const pending = [...users.values()].filter((u) =>
      u?.value.assignedLicenses.some((l) => Object.values(l.planStatus).some((s) => s !== "Success")),
    ).length;
    if (pending === 0) return;
    if (Date.now() > deadline) throw new Error(`${pending} users still not provisioned after 3 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function measureGraphBatch(
  tablesConnection: string,
  broker: { readonly connectionString: string },
  count = 1_000,
): Promise<GraphBatchFigures> {
  const app = await startServiceProcess(tablesConnection, broker.connectionString, {}, { https: true });
  const client = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--client"], {
    env: { ...process.env, NODE_EXTRA_CA_CERTS: app.certPath ?? "" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const answers = (await import("node:readline"))
    .createInterface({ input: client.stdout })
    [Symbol.asyncIterator]();
  const exited = once(client, "exit").then(([code]) => {
    throw new Error(`the benchmark client exited with ${code}`);
  });
  exited.catch(() => {});
  const ask = async (message: object) => {
    client.stdin.write(`${JSON.stringify(message)}\n`);
    const next = await Promise.race([answers.next(), exited]);
    if (next.done) throw new Error("the benchmark client closed its output");
    return JSON.parse(next.value) as { users: number; seconds: number; calls: number; functionMs: number };
  };
  try {
    const { deps } = app.services;
    const tenantId = randomUUID();
    const admin: Actor = { tenantId, objectId: "bench", roles: ["GlobalAdministrator"] };
    const skuId = findProductByPartNumber("O365_BUSINESS_ESSENTIALS")?.skuId ?? "";
    const perMethod = count + warmUpUsers;
    // Exactly the seats needed: an assignment made twice would run out of them.
    await buySubscription(deps, admin, {
      skuId,
      seats: perMethod * methods.length,
      purchaseChannel: "Admin",
    });
    const now = new Date().toISOString();
    const users = Array.from({ length: perMethod * methods.length }, (_, i) => benchUser("graph", i, now));
    await mapLimit(chunks(users, 50), 4, (group) =>
      deps.store.commit(
        tenantId,
        group.map((user) => ({ kind: "createUser" as const, user })),
      ),
    );
    // Each method its own fresh users: the first `warmUpUsers` of its share, then `count` measured.
    const share = (from: number, to: number) => {
      const ids = (m: number) => users.slice(m * perMethod + from, m * perMethod + to).map((u) => u.id);
      return { single: ids(0), batch: ids(1), sdkBatch: ids(2), bulk: ids(3) };
    };
    const work: ClientWork = {
      url: app.url,
      token: await app.token(tenantId),
      skuId,
      warmUp: share(0, warmUpUsers),
      measured: share(warmUpUsers, perMethod),
    };
    client.stdin.write(`${JSON.stringify({ work })}\n`);
    const figures: Partial<GraphBatchFigures> = {};
    for (const method of methods) {
      await ask({ run: method, warmUp: true });
      await provisioned(deps, tenantId, work.warmUp[method]);
      const r = await ask({ run: method });
      await checkLicensed(deps, tenantId, skuId, [...work.warmUp[method], ...work.measured[method]]);
      await provisioned(deps, tenantId, work.measured[method]);
      figures[method] = {
        users: r.users,
        seconds: r.seconds,
        perSecond: r.users / r.seconds,
        calls: r.calls,
        functionSeconds: r.functionMs / 1000,
      };
    }
    await checkLicensed(
      deps,
      tenantId,
      skuId,
      users.map((u) => u.id),
    );
    return figures as GraphBatchFigures;
  } finally {
    client.stdin.end();
    if (client.exitCode === null) {
      client.kill("SIGTERM");
      await once(client, "exit").catch(() => {});
    }
    await app.stop();
  }
}

const labels: Record<Method, string> = {
  single: "single assignLicense calls, one after another",
  batch: `$batch of ${batchSize} (plain fetch), batches one after another`,
  sdkBatch: `$batch of ${batchSize} through the Graph SDK (BatchRequestContent)`,
  bulk: "one bulk job (POST /licenses/bulk → job Succeeded)",
};

export function printGraphBatch(f: GraphBatchFigures): void {
  console.log(
    `Graph-style assignment, ${f.single.users} fresh users per method, same product, over https (same run)`,
  );
  for (const method of methods) {
    const r = f[method];
    console.log(
      `  ${labels[method]}: ${r.users} users in ${r.seconds.toFixed(2)} s = ${Math.round(r.perSecond)} users/s ` +
        `(${r.calls} calls, ${r.functionSeconds.toFixed(2)} s inside the functions)`,
    );
  }
  const ratio = (m: Method) => f[m].perSecond / f.single.perSecond;
  const met = (value: number) => (value >= 5 ? "met" : "NOT met");
  console.log(
    `  ratio $batch / single: ${ratio("batch").toFixed(1)} (target ≥ 5: ${met(ratio("batch"))}); ` +
      `SDK $batch / single: ${ratio("sdkBatch").toFixed(1)} (${met(ratio("sdkBatch"))})`,
  );
  console.log(`  ratio bulk / single: ${ratio("bulk").toFixed(1)}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv.includes("--client")) {
    await clientMain();
  } else {
    const azurite = await startAzurite({ port: 0, inMemory: true });
    const broker = await startChildBroker();
    try {
      const count = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1_000);
      printGraphBatch(await measureGraphBatch(azurite.connectionString, broker, count));
    } finally {
      await broker.stop();
      await azurite.stop();
    }
  }
}
