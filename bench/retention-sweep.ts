// Benchmark (issue 4): the retention sweep reads what is due, not what exists. Seeds 100,000
// retention entries of which 1,000 are due, and 10,000 of which 1,000 are due, and prints the
// sweep's time and the entities it read for each. Target: entries read ≤ 1.2 × due.
import { randomUUID } from "node:crypto";
import { createServices, type Services } from "../shared/composition.js";
import { mapLimit } from "../shared/concurrency/map-limit.js";
import { loadConfig } from "../shared/config.js";
import type { User } from "../shared/domain/model.js";
import { initialProvisioning } from "../shared/domain/provisioning.js";
import type { RetentionEntry } from "../shared/domain/retention.js";
import { emptyProfile } from "../shared/domain/user-profile.js";
import type { Clock } from "../shared/usecases/deps.js";
import { sweepRetention } from "../shared/usecases/sweep-retention.js";

export interface RetentionFigures {
  readonly total: number;
  readonly due: number;
  readonly seconds: number;
  readonly entriesRead: number;
  readonly usersRead: number;
  readonly expired: number;
}

const day = 86_400_000;

async function seed(services: Services, now: Date, total: number, due: number): Promise<void> {
  const { store, retention } = services.deps;
  const tenants = Array.from({ length: 10 }, () => randomUUID());
  const dueEntries: RetentionEntry[] = [];
  const users: { tenantId: string; user: User }[] = [];
  for (let i = 0; i < due; i++) {
    const tenantId = tenants[i % tenants.length] ?? "";
    // Due between two days ago and a second ago: the sweep missed a run, as happens.
    const dueAt = new Date(now.getTime() - 1000 - Math.floor((i / due) * 2 * day)).toISOString();
    const provisioning = initialProvisioning("User", randomUUID);
    const user: User = {
      id: randomUUID(),
      userPrincipalName: `due${i}@contoso.example`,
      displayName: `Due ${i}`,
      accountEnabled: true,
      mailNickname: null,
      profile: emptyProfile,
      usageLocation: null,
      userType: "Member",
      mailboxType: "User",
      assignedLicenses: [],
      provisioning: {
        ...provisioning,
        mailbox: { state: "Retained", dataId: randomUUID(), sizeGB: 1, retainedUntil: dueAt },
      },
      litigationHold: false,
      createdAt: now.toISOString(),
    };
    users.push({ tenantId, user });
    dueEntries.push({ tenantId, userId: user.id, kind: "mailbox", due: dueAt });
  }
  const byTenant = new Map<string, User[]>();
  for (const { tenantId, user } of users) byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), user]);
  const tasks: (() => Promise<unknown>)[] = [];
  for (const [tenantId, list] of byTenant) {
    for (let i = 0; i < list.length; i += 50) {
      const chunk = list.slice(i, i + 50);
      tasks.push(() =>
        store.commit(
          tenantId,
          chunk.map((user) => ({ kind: "createUser" as const, user })),
        ),
      );
    }
  }
  // Not yet due: spread over the next 60 days, for users that need not exist (never read).
  const future: RetentionEntry[] = Array.from({ length: total - due }, (_, i) => ({
    tenantId: tenants[i % tenants.length] ?? "",
    userId: randomUUID(),
    kind: "mailbox",
    due: new Date(now.getTime() + 60_000 + Math.floor((i / (total - due)) * 60 * day)).toISOString(),
  }));
  const all = [...dueEntries, ...future];
  for (let i = 0; i < all.length; i += 2000) {
    const slice = all.slice(i, i + 2000);
    tasks.push(() => retention.scheduleRetention(slice));
  }
  await mapLimit(tasks, 4, (task) => task());
}

export async function measureRetentionSweep(
  tablesConnection: string,
  serviceBusConnection: string,
  total: number,
  due: number,
): Promise<RetentionFigures> {
  const now = new Date();
  const clock: Clock = { now: () => now };
  const config = loadConfig({
    AUTH_ISSUER: "https://issuer.bench/",
    AUTH_AUDIENCE: "api://bench",
    AUTH_JWKS_URL: "https://issuer.bench/keys",
    TABLES_CONNECTION: tablesConnection,
    TABLES_TABLE_NAME: `r${randomUUID().replaceAll("-", "")}`,
    SERVICEBUS_CONNECTION: serviceBusConnection,
    PROVISIONING_QUEUE: `retention-${randomUUID()}`,
  });
  const services = createServices(config, {
    clock,
    logger: { info: () => {}, warn: () => {}, error: console.error },
  });
  try {
    await services.ready();
    await seed(services, now, total, due);
    const started = performance.now();
    const result = await sweepRetention(services.deps, { maxEntries: Number.POSITIVE_INFINITY });
    const seconds = (performance.now() - started) / 1000;
    return {
      total,
      due,
      seconds,
      entriesRead: result.entriesRead,
      usersRead: result.usersRead,
      expired: result.expired,
    };
  } finally {
    await services.close();
  }
}

export function printRetentionSweep(results: readonly RetentionFigures[]): void {
  console.log("Retention sweep: entities read follow the number due, not the total (target ≤ 1.2 × due)");
  for (const r of results) {
    console.log(
      `  ${String(r.total).padStart(7)} entries, ${r.due} due: ${r.seconds.toFixed(2)} s, ` +
        `${r.entriesRead} index entries read (${(r.entriesRead / r.due).toFixed(2)} × due), ` +
        `${r.usersRead} users read, ${r.expired} purged`,
    );
  }
}
