// Benchmark (issue 3): end-to-end fan-out. The service runs in its own process with its queue
// worker; this process commits 1,000 assignments (each writes its event to the outbox and sends
// it) and measures the time until every one of them is provisioned (all plans Success). The
// broker's own send→receive→complete rate is measured in the same run for comparison.
import { randomUUID } from "node:crypto";
import type { RunningBroker } from "../local/servicebus-broker/index.js";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import type { Actor } from "../shared/domain/model.js";
import { assignLicense } from "../shared/usecases/assign-licenses.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import { createUser } from "../shared/usecases/create-user.js";
import { measureBrokerThroughput } from "./broker-throughput.js";
import { startServiceProcess } from "./service-process.js";

export interface FanoutResult {
  readonly assignments: number;
  readonly commitSeconds: number;
  readonly totalSeconds: number;
  readonly provisionedPerSecond: number;
  readonly brokerPerSecond: number;
}

async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await work(item);
      }
    }),
  );
}

export async function measureFanout(
  tablesConnection: string,
  broker: RunningBroker,
  assignments = 1000,
): Promise<FanoutResult> {
  const queue = `fanout-${randomUUID()}`;
  const app = await startServiceProcess(tablesConnection, broker.connectionString, {
    PROVISIONING_QUEUE: queue,
  });
  try {
    const { deps } = app.services;
    const tenantId = randomUUID();
    const admin: Actor = { tenantId, objectId: "bench", roles: ["GlobalAdministrator"] };
    const skuId = findProductByPartNumber("O365_BUSINESS_PREMIUM")?.skuId ?? "";
    await buySubscription(deps, admin, { skuId, seats: assignments, purchaseChannel: "Admin" });
    const userIds: string[] = [];
    await inParallel(
      Array.from({ length: assignments }, (_, i) => i),
      8,
      async (i) => {
        const user = await createUser(deps, admin, {
          userPrincipalName: `fan${i}@contoso.example`,
          displayName: `Fan ${i}`,
          userType: "Member",
          mailboxType: "User",
          licenses: [],
        });
        userIds.push(user.id);
      },
    );

    const started = performance.now();
    await inParallel(userIds, 16, async (userId) => {
      await assignLicense(
        deps,
        admin,
        userId,
        { addLicenses: [{ skuId }], removeLicenses: [] },
        { dryRun: false },
      );
    });
    const committed = performance.now();
    // The queue is empty once the worker has completed every message; then check every user.
    for (;;) {
      const { active, locked } = broker.stats(queue);
      if (active + locked === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const drained = performance.now();
    const users = await deps.store.getUsers(tenantId, userIds);
    const pending = users.filter((u) =>
      u.assignedLicenses.some((l) => Object.values(l.planStatus).some((s) => s !== "Success")),
    );
    if (pending.length > 0 || users.length !== assignments) {
      throw new Error(`${pending.length} of ${users.length} users not provisioned after the queue drained`);
    }
    const totalSeconds = (drained - started) / 1000;

    const brokerQueue = `raw-${randomUUID()}`;
    const raw = await measureBrokerThroughput(broker.connectionString, brokerQueue, 5000);
    return {
      assignments,
      commitSeconds: (committed - started) / 1000,
      totalSeconds,
      provisionedPerSecond: assignments / totalSeconds,
      brokerPerSecond: raw.perSecond,
    };
  } finally {
    await app.stop();
  }
}

export function printFanout(result: FanoutResult): void {
  console.log("Fan-out: assignments committed → all plans provisioned (Success) by the queue worker");
  console.log(
    `  ${result.assignments} assignments: committed in ${result.commitSeconds.toFixed(2)} s, ` +
      `all provisioned after ${result.totalSeconds.toFixed(2)} s = ${Math.round(result.provisionedPerSecond)} users/s`,
  );
  console.log(`  broker alone (same run): ${Math.round(result.brokerPerSecond)} msg/s send→receive→complete`);
  console.log(
    `  ratio broker / fan-out: ${(result.brokerPerSecond / result.provisionedPerSecond).toFixed(1)}`,
  );
}
