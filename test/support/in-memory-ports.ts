// Small in-memory fakes of the storage ports, so a use case can be tested without Azurite. They keep
// the contract the use cases rely on: a commit applies all its writes or none, a stale ETag or an
// existing key on create throws ConcurrencyConflict, and each write gives the record a new ETag.

import { GroupCommit } from "../../shared/concurrency/group-commit.js";
import { KeyedLock } from "../../shared/concurrency/keyed-lock.js";
import type { CloudEvent } from "../../shared/domain/events.js";
import type {
  AuditRecord,
  BulkChunk,
  BulkJob,
  SeatLedger,
  Subscription,
  User,
} from "../../shared/domain/model.js";
import type { RetentionEntry } from "../../shared/domain/retention.js";
import { Outbox } from "../../shared/messaging/outbox.js";
import type { Clock, Deps, EventPublisher, Logger, ProvisioningRequest } from "../../shared/usecases/deps.js";
import {
  ConcurrencyConflict,
  type OutboxStorePort,
  type Page,
  type PendingMarker,
  type RetentionIndexPort,
  type TenantRecordsPort,
  type TenantWrite,
  type Versioned,
} from "../../shared/usecases/ports.js";

/** One tenant's records, by kind and id, each with its ETag. */
interface Tenant {
  users: Map<string, Versioned<User>>;
  upns: Set<string>;
  ledgers: Map<string, Versioned<SeatLedger>>;
  subscriptions: Map<string, Versioned<Subscription>>;
  holders: Set<string>;
  audit: AuditRecord[];
  outbox: CloudEvent[];
}

const unsupported = (what: string) => () => Promise.reject(new Error(`the fake does not do ${what}`));

export class InMemoryTenantRecords implements TenantRecordsPort {
  private readonly tenants = new Map<string, Tenant>();
  private version = 0;
  /** Every commit that went through, in order. */
  readonly commits: { tenantId: string; writes: readonly TenantWrite[] }[] = [];

  tenant(tenantId: string): Tenant {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = {
        users: new Map(),
        upns: new Set(),
        ledgers: new Map(),
        subscriptions: new Map(),
        holders: new Set(),
        audit: [],
        outbox: [],
      };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  async getUser(tenantId: string, userId: string): Promise<Versioned<User> | undefined> {
    return this.tenant(tenantId).users.get(userId);
  }
  async getUsers(tenantId: string, userIds: readonly string[]) {
    return new Map(userIds.map((id) => [id, this.tenant(tenantId).users.get(id)]));
  }
  cachedUser(): Versioned<User> | undefined {
    return undefined;
  }
  async isUserPrincipalNameTaken(tenantId: string, upn: string): Promise<boolean> {
    return this.tenant(tenantId).upns.has(upn.toLowerCase());
  }
  async getLedger(tenantId: string, skuId: string): Promise<Versioned<SeatLedger> | undefined> {
    return this.tenant(tenantId).ledgers.get(skuId);
  }
  async listLedgers(tenantId: string): Promise<SeatLedger[]> {
    return [...this.tenant(tenantId).ledgers.values()].map((l) => l.value);
  }
  async getSubscription(tenantId: string, id: string): Promise<Versioned<Subscription> | undefined> {
    return this.tenant(tenantId).subscriptions.get(id);
  }
  async listSubscriptions(tenantId: string): Promise<Subscription[]> {
    return [...this.tenant(tenantId).subscriptions.values()].map((s) => s.value);
  }
  async listAudit(tenantId: string): Promise<AuditRecord[]> {
    return [...this.tenant(tenantId).audit];
  }
  async listAllHolderIds(tenantId: string, skuId: string): Promise<Set<string>> {
    const prefix = `${skuId}|`;
    const holders = [...this.tenant(tenantId).holders].filter((h) => h.startsWith(prefix));
    return new Set(holders.map((h) => h.slice(prefix.length)));
  }
  listUsers: (tenantId: string) => Promise<Page<User>> = unsupported("listUsers");
  listActiveUserIds: (tenantId: string) => Promise<Set<string>> = unsupported("listActiveUserIds");
  listHolderIds: (tenantId: string) => Promise<Page<string>> = unsupported("listHolderIds");
  getJob: (tenantId: string) => Promise<BulkJob | undefined> = unsupported("getJob");
  getChunk: (tenantId: string) => Promise<Versioned<BulkChunk> | undefined> = unsupported("getChunk");
  listChunks: (tenantId: string) => Promise<BulkChunk[]> = unsupported("listChunks");
  getIdempotencyKey: (tenantId: string) => Promise<undefined> = unsupported("getIdempotencyKey");

  async commit(tenantId: string, writes: readonly TenantWrite[]): Promise<void> {
    const current = this.tenant(tenantId);
    // Applied to a copy, kept only when every write succeeded: all or nothing.
    const next: Tenant = {
      users: new Map(current.users),
      upns: new Set(current.upns),
      ledgers: new Map(current.ledgers),
      subscriptions: new Map(current.subscriptions),
      holders: new Set(current.holders),
      audit: [...current.audit],
      outbox: [...current.outbox],
    };
    const put = <T>(map: Map<string, Versioned<T>>, id: string, value: T, etag: string | undefined) => {
      const stored = map.get(id);
      if (etag === undefined ? stored !== undefined : stored?.etag !== etag)
        throw new ConcurrencyConflict(`record ${id} changed`);
      map.set(id, { value, etag: `v${++this.version}` });
    };
    for (const write of writes) {
      switch (write.kind) {
        case "createUser":
          if (next.upns.has(write.user.userPrincipalName.toLowerCase()))
            throw new ConcurrencyConflict("upn taken");
          next.upns.add(write.user.userPrincipalName.toLowerCase());
          put(next.users, write.user.id, write.user, undefined);
          break;
        case "updateUser":
          put(next.users, write.user.id, write.user, write.etag);
          break;
        case "putLedger":
          put(next.ledgers, write.ledger.skuId, write.ledger, write.etag);
          break;
        case "putSubscription":
          put(next.subscriptions, write.subscription.id, write.subscription, write.etag);
          break;
        case "addHolder":
          next.holders.add(`${write.skuId}|${write.userId}`);
          break;
        case "removeHolder":
          if (!next.holders.delete(`${write.skuId}|${write.userId}`))
            throw new ConcurrencyConflict("no holder");
          break;
        case "audit":
          next.audit.push(write.record);
          break;
        case "outbox":
          next.outbox.push(write.event);
          break;
        case "releaseUserPrincipalName":
          next.upns.delete(write.userPrincipalName.toLowerCase());
          break;
        default:
          throw new Error(`the fake does not commit ${write.kind}`);
      }
    }
    this.tenants.set(tenantId, next);
    this.commits.push({ tenantId, writes });
  }
}

export class InMemoryOutboxStore implements OutboxStorePort {
  constructor(private readonly records: InMemoryTenantRecords) {}
  private readonly markers = new Map<string, PendingMarker>();

  async listOutbox(tenantId: string): Promise<CloudEvent[]> {
    return [...this.records.tenant(tenantId).outbox];
  }
  async deleteOutbox(tenantId: string, eventIds: readonly string[]): Promise<void> {
    const tenant = this.records.tenant(tenantId);
    tenant.outbox = tenant.outbox.filter((e) => !eventIds.includes(e.id));
  }
  async markPending(tenantId: string, bucket: string): Promise<void> {
    this.markers.set(`${bucket}|${tenantId}`, { tenantId, bucket, etag: String(this.markers.size) });
  }
  async listPending(before: string, limit: number): Promise<PendingMarker[]> {
    return [...this.markers.values()].filter((m) => m.bucket < before).slice(0, limit);
  }
  async clearPending(marker: PendingMarker): Promise<void> {
    this.markers.delete(`${marker.bucket}|${marker.tenantId}`);
  }
}

export class InMemoryRetentionIndex implements RetentionIndexPort {
  readonly entries: RetentionEntry[] = [];
  private cursor: string | undefined;

  async scheduleRetention(entries: readonly RetentionEntry[]): Promise<void> {
    this.entries.push(...entries);
  }
  async listDueRetention(day: string, now: string, top: number): Promise<RetentionEntry[]> {
    return this.entries.filter((e) => e.due.startsWith(day) && e.due <= now).slice(0, top);
  }
  async removeRetention(entry: RetentionEntry): Promise<void> {
    const i = this.entries.indexOf(entry);
    if (i >= 0) this.entries.splice(i, 1);
  }
  async getRetentionCursor(): Promise<string | undefined> {
    return this.cursor;
  }
  async advanceRetentionCursor(day: string): Promise<void> {
    if (this.cursor === undefined || this.cursor < day) this.cursor = day;
  }
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Deps on in-memory ports; the events the outbox sends land in `published`. */
export function inMemoryDeps(clock: Clock): {
  deps: Deps;
  records: InMemoryTenantRecords;
  retention: InMemoryRetentionIndex;
  published: CloudEvent[];
} {
  const records = new InMemoryTenantRecords();
  const outboxStore = new InMemoryOutboxStore(records);
  const retention = new InMemoryRetentionIndex();
  const published: CloudEvent[] = [];
  const publisher: EventPublisher = {
    publish: async (events) => {
      published.push(...events);
    },
  };
  let ids = 0;
  const deps: Deps = {
    store: records,
    retention,
    clock,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, "0")}`,
    tenantLock: new KeyedLock(),
    logger: quietLogger,
    outbox: new Outbox(records, outboxStore, publisher, clock, quietLogger),
    outboxStore,
    provisioning: new GroupCommit<ProvisioningRequest, boolean>(
      () => Promise.reject(new Error("not in this fake")),
      {
        lingerMs: 0,
        maxItems: 1,
      },
    ),
    rejectedEvents: {
      put: unsupported("rejected events"),
      list: unsupported("rejected events"),
    },
    retentionPeriodMs: 30 * 86_400_000,
    unfinishedJobs: { add: unsupported("jobs"), list: unsupported("jobs"), remove: unsupported("jobs") },
    chunkPolicy: { timeoutMs: 60_000, maxResends: 3 },
  };
  return { deps, records, retention, published };
}
