// Benchmark: a 10,000-user `add` job end to end — POST /api/licenses/bulk to the service in its own
// process, chunks through the local broker to its worker, until GET /api/jobs says done — beside the
// rate of single assignLicense calls and the storage ceiling, both measured in the same run: bare
// 100-action transactions of the same entities (each user's row and holder row, with the ledger,
// the chunk, one audit row and the events' outbox rows), one after another and as many at once as
// the worker takes chunks. Targets: bulk ≥ 10× the single-call rate, 10,000 users in under 60 s, and
// ≥ 90 % of the storage ceiling.
import { randomUUID } from "node:crypto";
import { TableClient, type TransactionAction } from "@azure/data-tables";
import { mapLimit } from "../shared/concurrency/map-limit.js";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import { cloudEvent } from "../shared/domain/events.js";
import type { Actor, User } from "../shared/domain/model.js";
import { initialProvisioning } from "../shared/domain/provisioning.js";
import { emptyLedger } from "../shared/domain/seats.js";
import { emptyProfile } from "../shared/domain/user-profile.js";
import { toActions } from "../shared/storage/entity-encoding.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import { type OutboxRow, outboxRows, type TenantWrite } from "../shared/usecases/ports.js";
import { startServiceProcess } from "./service-process.js";
import { timeEach } from "./stats.js";

export interface BulkFigures {
  readonly users: number;
  readonly acceptSeconds: number;
  readonly totalSeconds: number;
  readonly bulkPerSecond: number;
  readonly singlePerSecond: number;
  /** Users a second through bare transactions of the same entities: one at a time, and in parallel. */
  readonly ceiling: { readonly sequential: number; readonly parallel: number; readonly parallelism: number };
}

/** A member with a user mailbox, written straight into storage by the benchmarks that arrange many. */
export function benchUser(prefix: string, i: number, now: string): User {
  return {
    id: randomUUID(),
    userPrincipalName: `${prefix}${i}@contoso.example`,
    displayName: `${prefix} ${i}`,
    accountEnabled: true,
    mailNickname: null,
    profile: emptyProfile,
    usageLocation: null,
    userType: "Member",
    mailboxType: "User",
    assignedLicenses: [],
    provisioning: initialProvisioning("User", randomUUID),
    litigationHold: false,
    createdAt: now,
  };
}

export async function measureBulk(
  tablesConnection: string,
  broker: { readonly connectionString: string },
  count = 10_000,
): Promise<BulkFigures> {
  const app = await startServiceProcess(tablesConnection, broker.connectionString, {
    PROVISIONING_QUEUE: `bulk-${randomUUID()}`,
  });
  try {
    const { deps } = app.services;
    const tenantId = randomUUID();
    const admin: Actor = { tenantId, objectId: "bench", roles: ["GlobalAdministrator"] };
    const skuId = findProductByPartNumber("O365_BUSINESS_ESSENTIALS")?.skuId ?? "";
    const singles = 200;
    await buySubscription(deps, admin, { skuId, seats: count + singles, purchaseChannel: "Admin" });
    const now = new Date().toISOString();
    const users = Array.from({ length: count + singles }, (_, i) => benchUser("bulk", i, now));
    // Arrange the users straight in storage, 50 to a transaction (a user is two rows).
    const batches: User[][] = [];
    for (let i = 0; i < users.length; i += 50) batches.push(users.slice(i, i + 50));
    await mapLimit(batches, 4, (batch) =>
      deps.store.commit(
        tenantId,
        batch.map((user) => ({ kind: "createUser" as const, user })),
      ),
    );
    const token = await app.token(tenantId);
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${app.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    // Single calls first, one after another, as a script would make them.
    const singleIds = users.slice(count).map((u) => u.id);
    const samples = await timeEach(singles, async (i) => {
      const response = await call("POST", `/api/users/${singleIds[i]}/assignLicense`, {
        addLicenses: [{ skuId }],
      });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`assignLicense answered ${response.status}`);
    });
    const singlePerSecond = singles / (samples.reduce((a, b) => a + b, 0) / 1000);

    const started = performance.now();
    const accepted = await call("POST", "/api/licenses/bulk", {
      userIds: users.slice(0, count).map((u) => u.id),
      operation: "add",
      licenses: [{ skuId }],
    });
    const { jobId } = (await accepted.json()) as { jobId: string };
    if (accepted.status !== 202) throw new Error(`bulk answered ${accepted.status}`);
    const acceptSeconds = (performance.now() - started) / 1000;
    for (;;) {
      const job = (await (await call("GET", `/api/jobs/${jobId}?top=1`)).json()) as {
        status: string;
        succeeded: number;
      };
      if (job.status === "Succeeded" && job.succeeded === count) break;
      if (job.status === "Failed" || job.status === "PartiallySucceeded")
        throw new Error(`job ended ${job.status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const totalSeconds = (performance.now() - started) / 1000;
    const ceiling = await storageCeiling(tablesConnection, tenantId, skuId, users.slice(0, count));
    return {
      users: count,
      acceptSeconds,
      totalSeconds,
      bulkPerSecond: count / totalSeconds,
      singlePerSecond,
      ceiling,
    };
  } finally {
    await app.stop();
  }
}

/** Users a transaction holds as a bulk round fills one: 48 × 2 rows + ledger, chunk, audit, event. */
const usersPerTransaction = 48;
/** Chunks the worker takes at once (host.json's maxConcurrentCalls for the queue). */
const workerParallelism = 16;

/**
 * The storage ceiling of a bulk job: the same users written again (their rows and holder rows, as a
 * job writes them) in bare 100-action transactions through the SDK, entities encoded beforehand,
 * one transaction after another and `workerParallelism` at once, in a table of their own.
 */
async function storageCeiling(
  tablesConnection: string,
  tenantId: string,
  skuId: string,
  users: readonly User[],
): Promise<BulkFigures["ceiling"]> {
  const table = TableClient.fromConnectionString(
    tablesConnection,
    `ceiling${randomUUID().replaceAll("-", "")}`,
    {
      allowInsecureConnection: true,
    },
  );
  await table.createTable();
  const now = new Date().toISOString();
  const groups: User[][] = [];
  for (let i = 0; i < users.length; i += usersPerTransaction)
    groups.push(users.slice(i, i + usersPerTransaction));
  const transaction = (group: readonly User[], g: number, round: string): TransactionAction[] => {
    // As a round of the job writes them: each user with the license, the audit line with every
    // user's licenses before and after, the chunk with its users and results, one event naming them.
    const licensed = group.map((user) => ({
      ...user,
      assignedLicenses: [{ skuId, disabledPlans: [], assignedAt: now, planStatus: {} }],
    }));
    const userIds = group.map((user) => user.id);
    const writes: TenantWrite[] = [
      ...licensed.flatMap((user): TenantWrite[] => [
        { kind: "updateUser", user, etag: "*" },
        { kind: "addHolder", skuId, userId: user.id },
      ]),
      { kind: "putLedger", ledger: { ...emptyLedger(skuId), skuId: `${skuId}-${round}-${g}` } },
      {
        kind: "audit",
        record: {
          id: randomUUID(),
          at: now,
          actorId: "bench",
          action: "bulk:add",
          target: `job/${round}`,
          before: group.map((user) => ({ userId: user.id, assignedLicenses: user.assignedLicenses })),
          after: licensed.map((user) => ({ userId: user.id, assignedLicenses: user.assignedLicenses })),
        },
      },
      {
        kind: "putChunk",
        chunk: {
          jobId: round,
          index: g,
          userIds,
          results: userIds.map((userId) => ({ userId, outcome: "Succeeded" as const })),
          updatedAt: now,
        },
      },
      {
        kind: "outbox",
        row: outboxRows([
          cloudEvent("license.assigned", randomUUID(), now, `skus/${skuId}`, { tenantId, skuId, userIds }),
        ])[0] as OutboxRow,
      },
    ];
    return writes.flatMap((write) => toActions(tenantId, write));
  };
  // The users' rows first exist (an update needs one), then each round writes them again.
  const seed = groups.map((group, g) =>
    transaction(group, g, "seed").map(
      ([kind, entity]): TransactionAction =>
        kind === "update" ? ["upsert", entity, "Replace"] : ([kind, entity] as TransactionAction),
    ),
  );
  await mapLimit(seed, workerParallelism, (actions) =>
    table.submitTransaction(actions).then(() => undefined),
  );
  const rate = async (round: string, parallelism: number) => {
    const prepared = groups.map((group, g) => transaction(group, g, round));
    const start = performance.now();
    await mapLimit(prepared, parallelism, (actions) =>
      table.submitTransaction(actions).then(() => undefined),
    );
    return users.length / ((performance.now() - start) / 1000);
  };
  const sequential = await rate("sequential", 1);
  const parallel = await rate("parallel", workerParallelism);
  await table.deleteTable();
  return { sequential, parallel, parallelism: workerParallelism };
}

export function printBulk(r: BulkFigures): void {
  console.log("Bulk add job vs single assignLicense calls (same run)");
  console.log(
    `  ${r.users} users: 202 after ${r.acceptSeconds.toFixed(2)} s, job Succeeded after ${r.totalSeconds.toFixed(1)} s ` +
      `= ${Math.round(r.bulkPerSecond)} users/s (target: under 60 s)`,
  );
  console.log(`  single assignLicense calls, one after another: ${Math.round(r.singlePerSecond)} users/s`);
  console.log(`  ratio bulk / single: ${(r.bulkPerSecond / r.singlePerSecond).toFixed(1)} (target ≥ 10)`);
  const best = Math.max(r.ceiling.sequential, r.ceiling.parallel);
  console.log(
    `  storage ceiling, bare 100-action transactions of the same entities: ${Math.round(r.ceiling.sequential)} users/s ` +
      `one at a time, ${Math.round(r.ceiling.parallel)} users/s ${r.ceiling.parallelism} at once`,
  );
  console.log(`  ratio bulk / ceiling: ${((100 * r.bulkPerSecond) / best).toFixed(0)} % (target ≥ 90 %)`);
}
