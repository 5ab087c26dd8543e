// Benchmark: latency of one assignLicense over HTTP to the service running as `npm start` runs it,
// against Azurite, beside its floor measured in the same run: the HTTP hop of a function that does
// next to nothing (`GET /api/console/config`, served by the same local host) plus the bare SDK
// transaction of the same entities (the user, the ledger, a holder row, an audit row and an outbox
// row). Target: ≤ 1.25 × floor, for a user new to the instance and a known one. A raw upsert is
// printed too, for comparison with earlier figures.
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { TableClient } from "@azure/data-tables";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import type { Actor } from "../shared/domain/model.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import { createUser } from "../shared/usecases/create-user.js";
import { startServiceProcess } from "./service-process.js";
import { ms, percentile, timeEach } from "./stats.js";

// node:http with a keep-alive agent, like the Azure SDK's own client: fetch adds ~0.5 ms of client
// overhead per call that the raw-upsert baseline would not pay.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

interface Answer {
  readonly status: number;
  readonly text: string;
  /** How long the function itself ran, from the local host's Server-Timing header. */
  readonly functionMs: number;
}

function send(method: "GET" | "POST", url: string, token: string, body?: unknown): Promise<Answer> {
  const payload = body === undefined ? "" : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        const timing = /function;dur=([\d.]+)/.exec(String(res.headers["server-timing"] ?? ""));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString(),
            functionMs: Number(timing?.[1] ?? Number.NaN),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

export interface LatencyFigures {
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly samples: number;
  /** Median time inside the function (the rest is HTTP and the local host). */
  readonly functionMedianMs?: number;
}

export interface AssignLatency {
  /** Users the service instance has not seen before: a read and a transaction. */
  readonly firstSeen: LatencyFigures;
  /** Users created through the same instance: their ETag is cached, so only the transaction. */
  readonly known: LatencyFigures;
  readonly upsert: LatencyFigures;
  /** The HTTP hop of a function that does next to nothing, through the same host. */
  readonly hop: LatencyFigures;
  /** The bare transaction of the entities one assignLicense writes. */
  readonly transaction: LatencyFigures;
}

const figures = (samples: readonly number[], inFunction: readonly number[] = []): LatencyFigures => ({
  medianMs: percentile(samples, 50),
  p99Ms: percentile(samples, 99),
  samples: samples.length,
  ...(inFunction.length > 0 ? { functionMedianMs: percentile(inFunction, 50) } : {}),
});

export async function measureAssignLatency(
  tablesConnection: string,
  serviceBusConnection: string,
  requests = 300,
): Promise<AssignLatency> {
  const app = await startServiceProcess(tablesConnection, serviceBusConnection);
  try {
    const tenantId = randomUUID();
    const admin: Actor = { tenantId, objectId: "bench", roles: ["GlobalAdministrator"] };
    const skuId = findProductByPartNumber("O365_BUSINESS_PREMIUM")?.skuId ?? "";
    const { deps } = app.services;
    const token = await app.token(tenantId);
    const post = async (path: string, body: unknown, expected: number) => {
      const response = await send("POST", `${app.url}${path}`, token, body);
      if (response.status !== expected)
        throw new Error(`${path} answered ${response.status}: ${response.text}`);
      return response;
    };
    await buySubscription(deps, admin, { skuId, seats: 2 * requests + 10, purchaseChannel: "Admin" });
    const unseen: string[] = [];
    const known: string[] = [];
    for (let i = 0; i < requests; i++) {
      const user = { userPrincipalName: `bench${i}@contoso.example`, displayName: `Bench ${i}` };
      unseen.push(
        (await createUser(deps, admin, { ...user, userType: "Member", mailboxType: "User", licenses: [] }))
          .value.id,
      );
      const created = await post(
        "/api/users",
        { ...user, userPrincipalName: `known${i}@contoso.example` },
        201,
      );
      known.push((JSON.parse(created.text) as { id: string }).id);
    }
    const inFunction = { unseen: [] as number[], known: [] as number[] };
    const assign = (ids: readonly string[], times: number[]) => async (i: number) => {
      const answer = await post(`/api/users/${ids[i]}/assignLicense`, { addLicenses: [{ skuId }] }, 200);
      times.push(answer.functionMs);
    };
    // Warm up connections and JIT on a few of each kind; then measure the rest of each kind.
    const warmup = 20;
    await timeEach(warmup, assign(unseen, []));
    await timeEach(warmup, assign(known, []));
    const rest = requests - warmup;
    const firstSeen = await timeEach(rest, (i) => assign(unseen, inFunction.unseen)(i + warmup));
    const knownSamples = await timeEach(rest, (i) => assign(known, inFunction.known)(i + warmup));

    const hop = async () => {
      const response = await send("GET", `${app.url}/api/console/config`, token);
      if (response.status !== 200) throw new Error(`console/config answered ${response.status}`);
    };
    await timeEach(warmup, hop);
    const hopSamples = await timeEach(rest, hop);

    const raw = TableClient.fromConnectionString(tablesConnection, `raw${randomUUID().replaceAll("-", "")}`, {
      allowInsecureConnection: true,
    });
    await raw.createTable();
    const upsert = (i: number) =>
      raw
        .upsertEntity(
          { partitionKey: tenantId, rowKey: `row${i}`, value: i, text: "x".repeat(200) },
          "Replace",
        )
        .then(() => undefined);
    await timeEach(warmup, upsert);
    const upsertSamples = await timeEach(rest, upsert);
    // The entities of one assignment, stored as the service stores them: the user and the ledger
    // replaced against their ETags, a holder, an audit and an outbox row inserted.
    const stored = await raw.getEntity<Record<string, unknown>>(tenantId, "row0");
    const userRow = { ...(await app.services.deps.store.getUser(tenantId, known[0] ?? "")) };
    const userText = JSON.stringify(userRow.value);
    let versions = { user: "*", ledger: "*" };
    await raw.upsertEntity({ partitionKey: tenantId, rowKey: "user", body: userText }, "Replace");
    await raw.upsertEntity({ partitionKey: tenantId, rowKey: "ledger", consumed: 0 }, "Replace");
    const transaction = async (i: number) => {
      const response = await raw.submitTransaction([
        [
          "update",
          { partitionKey: tenantId, rowKey: "user", body: userText },
          "Replace",
          { etag: versions.user },
        ],
        [
          "update",
          { partitionKey: tenantId, rowKey: "ledger", consumed: i },
          "Replace",
          { etag: versions.ledger },
        ],
        ["create", { partitionKey: tenantId, rowKey: `holder|${i}` }],
        ["create", { partitionKey: tenantId, rowKey: `audit|${i}`, body: userText.slice(0, 600) }],
        ["create", { partitionKey: tenantId, rowKey: `outbox|${i}`, body: userText.slice(0, 400) }],
      ]);
      versions = {
        user: response.subResponses[0]?.etag ?? "*",
        ledger: response.subResponses[1]?.etag ?? "*",
      };
    };
    if (!stored) throw new Error("no raw row");
    await timeEach(warmup, (i) => transaction(i));
    const transactionSamples = await timeEach(rest, (i) => transaction(i + warmup));
    return {
      firstSeen: figures(firstSeen, inFunction.unseen),
      known: figures(knownSamples, inFunction.known),
      upsert: figures(upsertSamples),
      hop: figures(hopSamples),
      transaction: figures(transactionSamples),
    };
  } finally {
    await app.stop();
  }
}

export function printAssignLatency(result: AssignLatency): void {
  const line = (name: string, f: LatencyFigures) =>
    `  ${name.padEnd(34)} median ${ms(f.medianMs)}, p99 ${ms(f.p99Ms)} (${f.samples} requests)` +
    (f.functionMedianMs === undefined ? "" : `; in the function ${ms(f.functionMedianMs)}`);
  const floor = result.hop.medianMs + result.transaction.medianMs;
  const ratio = (f: LatencyFigures) => (f.medianMs / floor).toFixed(2);
  console.log("assignLicense over HTTP (service in its own process, as npm start runs it) vs its floor");
  console.log(line("assignLicense, user new to instance", result.firstSeen));
  console.log(line("assignLicense, user known", result.known));
  console.log(line("HTTP hop (GET console/config)", result.hop));
  console.log(line("bare transaction (5 entities)", result.transaction));
  console.log(line("raw upsert (same run)", result.upsert));
  console.log(
    `  floor (hop + transaction) ${ms(floor)}; ratio to it: new user ${ratio(result.firstSeen)}, ` +
      `known user ${ratio(result.known)} (target ≤ 1.25)`,
  );
}
