// Benchmark (issue 3): end-to-end fan-out. The service runs in its own process with its queue
// worker. This process commits 1,000 assignments with their events held in the outbox, then lets
// them go (as the relay does) and measures the time until every user is provisioned (all plans
// Success). The broker's own send→receive→complete rate is measured in the same run.
import { randomUUID } from "node:crypto";
import type { RunningBroker } from "../local/servicebus-broker/index.js";
import { mapLimit } from "../shared/concurrency/map-limit.js";
import { findProductByPartNumber } from "../shared/domain/catalog.js";
import type { CloudEvent } from "../shared/domain/events.js";
import type { Actor } from "../shared/domain/model.js";
import { assignLicense } from "../shared/usecases/assign-licenses.js";
import { buySubscription } from "../shared/usecases/buy-subscription.js";
import { createUser } from "../shared/usecases/create-user.js";
import type { EventPublisher } from "../shared/usecases/deps.js";
import { measureBrokerThroughput } from "./broker-throughput.js";
import { startServiceProcess } from "./service-process.js";

export interface FanoutResult {
  readonly assignments: number;
  readonly commitSeconds: number;
  readonly fanoutSeconds: number;
  readonly provisionedPerSecond: number;
  readonly brokerPerSecond: number;
}

/** Holds events back while `holding`, then sends them all at once. */
class HoldingPublisher implements EventPublisher {
  private holding = true;
  private readonly held: CloudEvent[] = [];
  constructor(private readonly real: EventPublisher) {}

  async publish(events: readonly CloudEvent[]): Promise<void> {
    if (this.holding) this.held.push(...events);
    else await this.real.publish(events);
  }

  async release(): Promise<void> {
    this.holding = false;
    const chunks: CloudEvent[][] = [];
    for (let i = 0; i < this.held.length; i += 100) chunks.push(this.held.slice(i, i + 100));
    await Promise.all(chunks.map((chunk) => this.real.publish(chunk)));
  }
}

export async function measureFanout(
  tablesConnection: string,
  broker: RunningBroker,
  assignments = 1000,
): Promise<FanoutResult> {
  const queue = `fanout-${randomUUID()}`;
  let holding: HoldingPublisher | undefined;
  const app = await startServiceProcess(
    tablesConnection,
    broker.connectionString,
    { PROVISIONING_QUEUE: queue },
    {
      publisher: (real) => {
        holding = new HoldingPublisher(real);
        return holding;
      },
    },
  );
  try {
    const { deps } = app.services;
    const tenantId = randomUUID();
    const admin: Actor = { tenantId, objectId: "bench", roles: ["GlobalAdministrator"] };
    const skuId = findProductByPartNumber("O365_BUSINESS_PREMIUM")?.skuId ?? "";
    await buySubscription(deps, admin, { skuId, seats: assignments, purchaseChannel: "Admin" });
    const userIds = await mapLimit(
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
        return user.value.id;
      },
    );

    const commitStarted = performance.now();
    await mapLimit(userIds, 16, async (userId) => {
      await assignLicense(
        deps,
        admin,
        userId,
        { addLicenses: [{ skuId }], removeLicenses: [] },
        { dryRun: false },
      );
    });
    const committed = performance.now();
    await holding?.release();
    // The queue is empty once the worker has completed every message; then check every user.
    for (;;) {
      const { active, locked } = broker.stats(queue);
      if (active + locked === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const drained = performance.now();
    const users = [...(await deps.store.getUsers(tenantId, userIds)).values()].flatMap((u) =>
      u ? [u.value] : [],
    );
    const pending = users.filter((u) =>
      u.assignedLicenses.some((l) => Object.values(l.planStatus).some((s) => s !== "Success")),
    );
    if (pending.length > 0 || users.length !== assignments) {
      throw new Error(`${pending.length} of ${users.length} users not provisioned after the queue drained`);
    }
    const fanoutSeconds = (drained - committed) / 1000;
    const raw = await measureBrokerThroughput(broker.connectionString, `raw-${randomUUID()}`, 5000);
    return {
      assignments,
      commitSeconds: (committed - commitStarted) / 1000,
      fanoutSeconds,
      provisionedPerSecond: assignments / fanoutSeconds,
      brokerPerSecond: raw.perSecond,
    };
  } finally {
    await app.stop();
  }
}

export function printFanout(result: FanoutResult): void {
  console.log("Fan-out: committed assignments → all plans provisioned (Success) by the queue worker");
  console.log(
    `  ${result.assignments} assignments committed (${result.commitSeconds.toFixed(2)} s, events held); ` +
      `from sending their events to all provisioned: ${result.fanoutSeconds.toFixed(2)} s = ` +
      `${Math.round(result.provisionedPerSecond)} users/s`,
  );
  console.log(`  broker alone (same run): ${Math.round(result.brokerPerSecond)} msg/s send→receive→complete`);
  console.log(
    `  ratio broker / fan-out: ${(result.brokerPerSecond / result.provisionedPerSecond).toFixed(1)}`,
  );
}
