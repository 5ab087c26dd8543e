// Table Storage adapter for one tenant's licensing records. Every record of a tenant lives in one
// partition (PartitionKey = tenant id), so a user's change, the product's seat ledger and the audit
// line commit in one entity-group transaction, guarded by ETags.
import { odata, type TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import type { CloudEvent } from "../domain/events.js";
import type { AuditRecord, BulkChunk, BulkJob, SeatLedger, Subscription, User } from "../domain/model.js";
import { ProblemError } from "../domain/problem.js";
import { needsLicense } from "../domain/provisioning.js";
import type { RetentionEntry, RetentionKind } from "../domain/retention.js";
import { ConcurrencyConflict, isConflict, statusCodeOf } from "./conflict.js";
import { VersionedCache } from "./versioned-cache.js";

export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** A write inside one tenant's atomic commit. An `etag` makes it conditional; none means create. */
export type TenantWrite =
  | { readonly kind: "createUser"; readonly user: User }
  | { readonly kind: "updateUser"; readonly user: User; readonly etag: string }
  | { readonly kind: "putLedger"; readonly ledger: SeatLedger; readonly etag?: string }
  | { readonly kind: "putSubscription"; readonly subscription: Subscription; readonly etag?: string }
  | { readonly kind: "addHolder"; readonly skuId: string; readonly userId: string }
  | { readonly kind: "removeHolder"; readonly skuId: string; readonly userId: string }
  | { readonly kind: "audit"; readonly record: AuditRecord }
  | { readonly kind: "outbox"; readonly event: CloudEvent }
  | { readonly kind: "releaseUserPrincipalName"; readonly userPrincipalName: string }
  | { readonly kind: "createJob"; readonly job: BulkJob }
  | { readonly kind: "putChunk"; readonly chunk: BulkChunk; readonly etag?: string }
  | {
      readonly kind: "createIdempotencyKey";
      readonly keyHash: string;
      readonly jobId: string;
      readonly requestHash: string;
    };

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. */
  readonly continuation?: string;
}

/** An entity-group transaction takes at most 100 actions. */
export const maxActionsPerCommit = 100;

const key = {
  user: (id: string) => `user|${id}`,
  upn: (upn: string) => `upn|${Buffer.from(upn.toLowerCase()).toString("base64url")}`,
  ledger: (skuId: string) => `sku|${skuId}`,
  subscription: (id: string) => `sub|${id}`,
  holder: (skuId: string, userId: string) => `holder|${skuId}|${userId}`,
  audit: (record: AuditRecord) => `audit|${record.at}|${record.id}`,
  outbox: (eventId: string) => `outbox|${eventId}`,
  job: (jobId: string) => `job|${jobId}`,
  chunk: (jobId: string, index: number) => `jobchunk|${jobId}|${String(index).padStart(5, "0")}`,
  idempotency: (keyHash: string) => `idem|${keyHash}`,
  pending: (bucket: string, tenantId: string) => `${bucket}|${tenantId}`,
};

/**
 * The partition of outbox markers: "tenant T may have unsent events from the minute starting at B".
 * Tenant ids are GUIDs, so this key cannot collide with a tenant's partition.
 */
const pendingPartition = "~outbox";

/**
 * The retention index (R18–R20): one partition per due day, RowKey starting with the due time, so
 * the sweep reads exactly the entries that are due and nothing else of any tenant.
 */
const retentionPartition = (day: string) => `~retention-${day}`;
const retentionRowKey = (e: RetentionEntry) => `${e.due}|${e.tenantId}|${e.userId}|${e.kind}`;
/** Where the sweep resumes: the oldest day that may still hold entries. */
const retentionCursor = { partitionKey: "~retention", rowKey: "cursor" } as const;

/** RowKey range of every key starting with `prefix` (`|` + 1 = `}`). */
const prefixFilter = (tenantId: string, prefix: string): string =>
  odata`PartitionKey eq ${tenantId} and RowKey ge ${prefix} and RowKey lt ${`${prefix.slice(0, -1)}}`}`;

/** How many users one range query reads at most (the chunk size of bulk jobs). */
const usersPerRangeRead = 200;

/** An entity as read back: its properties untyped until mapped. */
type Entity = Record<string, unknown> & { readonly rowKey?: string };
type NewEntity = TableEntity<Record<string, unknown>>;

function str(entity: Entity, name: string): string {
  const value = entity[name];
  if (typeof value !== "string") throw new Error(`stored entity ${String(entity.rowKey)} lacks ${name}`);
  return value;
}

/**
 * A string property holds at most 32K UTF-16 characters (64 KB): longer JSON is spread over
 * `name`, `name_1`, `name_2`, … (an entity takes up to 1 MB).
 */
const maxPropertyChars = 32_000;

function packJson(name: string, value: unknown): Record<string, string> {
  const text = JSON.stringify(value);
  const parts: Record<string, string> = {};
  for (let i = 0, n = 0; i < text.length || n === 0; i += maxPropertyChars, n++) {
    parts[n === 0 ? name : `${name}_${n}`] = text.slice(i, i + maxPropertyChars);
  }
  return parts;
}

function unpackJson(entity: Entity, name: string): unknown {
  let text = str(entity, name);
  for (let n = 1; typeof entity[`${name}_${n}`] === "string"; n++) text += entity[`${name}_${n}`];
  return JSON.parse(text);
}

/**
 * A continuation token comes back from callers (skipToken): only a well-formed one, as the SDK
 * makes them (base64 JSON of the next keys), goes to the service; anything else is the caller's
 * mistake, not a 500. The keys the service hands out (Azure's `1!n!…`, Azurite's base64) are
 * printable ASCII, so anything else (a lone surrogate makes the SDK's encodeURIComponent throw)
 * is refused here. The query's own PartitionKey filter keeps it within the caller's tenant.
 */
const continuationKey = /^[\x21-\x7e]{1,1024}$/;
const invalidContinuation = () =>
  new ProblemError("ValidationFailed", "skipToken is not one this service issued; follow nextLink instead.", [
    { path: "skipToken", message: "not a valid continuation" },
  ]);

export function checkedContinuation(token: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw invalidContinuation();
  let decoded: unknown;
  try {
    // Read as the SDK reads it: one character per byte.
    decoded = JSON.parse(Buffer.from(token, "base64").toString("latin1"));
  } catch {
    throw invalidContinuation();
  }
  if (typeof decoded !== "object" || decoded === null || Array.isArray(decoded)) throw invalidContinuation();
  const { nextPartitionKey, nextRowKey } = decoded as Record<string, unknown>;
  if (typeof nextPartitionKey !== "string" || !continuationKey.test(nextPartitionKey))
    throw invalidContinuation();
  if (typeof nextRowKey !== "string" || !continuationKey.test(nextRowKey)) throw invalidContinuation();
  return token;
}

function num(entity: Entity, name: string): number {
  const value = entity[name];
  if (typeof value !== "number") throw new Error(`stored entity ${String(entity.rowKey)} lacks ${name}`);
  return value;
}

function userEntity(tenantId: string, user: User): NewEntity {
  return {
    partitionKey: tenantId,
    rowKey: key.user(user.id),
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    userType: user.userType,
    mailboxType: user.mailboxType,
    licenses: JSON.stringify(user.assignedLicenses),
    licenseCount: user.assignedLicenses.length,
    provisioning: JSON.stringify(user.provisioning),
    litigationHold: user.litigationHold,
    ...(user.retainedUntil ? { retainedUntil: user.retainedUntil } : {}),
    ...(user.purgedAt ? { purgedAt: user.purgedAt } : {}),
    // Stored for the server-side filter of GET /api/users?needsLicense=true (R21).
    needsLicense: needsLicense(user),
    createdAt: user.createdAt,
    isDeleted: user.deletedAt !== undefined,
    ...(user.deletedAt ? { deletedAt: user.deletedAt } : {}),
  };
}

function userFrom(entity: Entity): User {
  const deletedAt = entity.deletedAt;
  return {
    id: str(entity, "rowKey").slice("user|".length),
    userPrincipalName: str(entity, "userPrincipalName"),
    displayName: str(entity, "displayName"),
    userType: str(entity, "userType") as User["userType"],
    mailboxType: str(entity, "mailboxType") as User["mailboxType"],
    assignedLicenses: JSON.parse(str(entity, "licenses")) as User["assignedLicenses"],
    provisioning: JSON.parse(str(entity, "provisioning")) as User["provisioning"],
    litigationHold: entity.litigationHold === true,
    ...(typeof entity.retainedUntil === "string" ? { retainedUntil: entity.retainedUntil } : {}),
    ...(typeof entity.purgedAt === "string" ? { purgedAt: entity.purgedAt } : {}),
    createdAt: str(entity, "createdAt"),
    ...(typeof deletedAt === "string" ? { deletedAt } : {}),
  };
}

const ledgerFields = [
  "enabledAdmin",
  "enabledSelfService",
  "warning",
  "suspended",
  "lockedOut",
  "consumed",
  "consumedSelfService",
] as const;

function ledgerEntity(tenantId: string, ledger: SeatLedger): NewEntity {
  return { partitionKey: tenantId, rowKey: key.ledger(ledger.skuId), ...ledger };
}

function ledgerFrom(entity: Entity): SeatLedger {
  const counts = Object.fromEntries(ledgerFields.map((field) => [field, num(entity, field)]));
  return { skuId: str(entity, "skuId"), ...counts } as SeatLedger;
}

function subscriptionEntity(tenantId: string, subscription: Subscription): NewEntity {
  return { partitionKey: tenantId, rowKey: key.subscription(subscription.id), ...subscription };
}

function subscriptionFrom(entity: Entity): Subscription {
  return {
    id: str(entity, "id"),
    skuId: str(entity, "skuId"),
    seats: num(entity, "seats"),
    status: str(entity, "status") as Subscription["status"],
    purchaseChannel: str(entity, "purchaseChannel") as Subscription["purchaseChannel"],
    createdAt: str(entity, "createdAt"),
    selfServiceConsumed: num(entity, "selfServiceConsumed"),
  };
}

function auditEntity(tenantId: string, record: AuditRecord): NewEntity {
  return {
    partitionKey: tenantId,
    rowKey: key.audit(record),
    actorId: record.actorId,
    action: record.action,
    target: record.target,
    at: record.at,
    ...packJson("before", record.before ?? null),
    ...packJson("after", record.after ?? null),
  };
}

function toActions(tenantId: string, write: TenantWrite): TransactionAction[] {
  switch (write.kind) {
    case "createUser":
      return [
        ["create", userEntity(tenantId, write.user)],
        [
          "create",
          { partitionKey: tenantId, rowKey: key.upn(write.user.userPrincipalName), userId: write.user.id },
        ],
      ];
    case "updateUser":
      return [["update", userEntity(tenantId, write.user), "Replace", { etag: write.etag }]];
    case "putLedger":
      return write.etag
        ? [["update", ledgerEntity(tenantId, write.ledger), "Replace", { etag: write.etag }]]
        : [["create", ledgerEntity(tenantId, write.ledger)]];
    case "putSubscription":
      return write.etag
        ? [["update", subscriptionEntity(tenantId, write.subscription), "Replace", { etag: write.etag }]]
        : [["create", subscriptionEntity(tenantId, write.subscription)]];
    case "addHolder":
      return [
        ["upsert", { partitionKey: tenantId, rowKey: key.holder(write.skuId, write.userId) }, "Replace"],
      ];
    case "removeHolder":
      return [["delete", { partitionKey: tenantId, rowKey: key.holder(write.skuId, write.userId) }]];
    case "audit":
      return [["create", auditEntity(tenantId, write.record)]];
    case "createJob":
      return [
        ["create", { partitionKey: tenantId, rowKey: key.job(write.job.id), job: JSON.stringify(write.job) }],
      ];
    case "putChunk": {
      const entity = {
        partitionKey: tenantId,
        rowKey: key.chunk(write.chunk.jobId, write.chunk.index),
        ...packJson("chunk", write.chunk),
      };
      return write.etag ? [["update", entity, "Replace", { etag: write.etag }]] : [["create", entity]];
    }
    case "createIdempotencyKey":
      return [
        [
          "create",
          {
            partitionKey: tenantId,
            rowKey: key.idempotency(write.keyHash),
            jobId: write.jobId,
            requestHash: write.requestHash,
          },
        ],
      ];
    case "releaseUserPrincipalName":
      return [["delete", { partitionKey: tenantId, rowKey: key.upn(write.userPrincipalName) }]];
    case "outbox":
      return [
        [
          "create",
          {
            partitionKey: tenantId,
            rowKey: key.outbox(write.event.id),
            event: JSON.stringify(write.event),
            at: write.event.time,
          },
        ],
      ];
  }
}

/** How many table actions a commit of `writes` takes (at most `maxActionsPerCommit` fit one). */
export function actionCount(writes: readonly TenantWrite[]): number {
  return writes.reduce((count, write) => count + toActions("", write).length, 0);
}

export class TenantStore {
  /**
   * The last users and ledgers this process read or wrote, with their ETags. A write based on a
   * stale copy fails its ETag check, so a cache can never cause a wrong commit; callers ask for
   * cached copies only on a first try and re-read before refusing anything.
   */
  private readonly userCache = new VersionedCache<User>(10_000);
  private readonly ledgerCache = new VersionedCache<SeatLedger>(1_000);
  /**
   * A day the retention cursor was last seen at. The sweep moves it forward to today at most, and
   * new entries fall due today or later, so an entry on or after this day needs no cursor read.
   */
  private knownCursorDay: string | undefined;

  constructor(private readonly client: TableClient) {}

  private async get(tenantId: string, rowKey: string): Promise<Versioned<Entity> | undefined> {
    try {
      const entity = await this.client.getEntity<Record<string, unknown>>(tenantId, rowKey);
      return { value: entity, etag: entity.etag };
    } catch (error) {
      if (statusCodeOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Reads one record through a cache: from it when `cached` allows, else from storage into it. */
  private async getVersioned<T>(
    cache: VersionedCache<T>,
    tenantId: string,
    id: string,
    rowKey: string,
    map: (entity: Entity) => T,
    options: { readonly cached?: boolean },
  ): Promise<Versioned<T> | undefined> {
    const cacheKey = `${tenantId}|${id}`;
    const cached = options.cached ? cache.get(cacheKey) : undefined;
    if (cached) return cached;
    const found = await this.get(tenantId, rowKey);
    if (!found) {
      cache.delete(cacheKey);
      return undefined;
    }
    const value = map(found.value);
    cache.set(cacheKey, value, found.etag);
    return { value, etag: found.etag };
  }

  private async list(filter: string): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const entity of this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
    })) {
      entities.push(entity);
    }
    return entities;
  }

  /** Up to `top` entities matching `filter`, following the service's short pages until filled. */
  private async page(filter: string, top: number, continuation: string | undefined): Promise<Page<Entity>> {
    const items: Entity[] = [];
    let token = continuation === undefined ? undefined : checkedContinuation(continuation);
    do {
      const pages = this.client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
        .byPage({ maxPageSize: top - items.length, ...(token ? { continuationToken: token } : {}) });
      let next: Awaited<ReturnType<typeof pages.next>>;
      try {
        next = await pages.next();
      } catch (error) {
        // A well-formed token the service still cannot use (forged keys) is the caller's mistake too.
        if (continuation !== undefined && statusCodeOf(error) === 400) throw invalidContinuation();
        throw error;
      }
      if (next.done) return { items };
      items.push(...next.value);
      token = next.value.continuationToken;
    } while (token && items.length < top);
    return token ? { items, continuation: token } : { items };
  }

  async getUser(
    tenantId: string,
    userId: string,
    options: { readonly cached?: boolean } = {},
  ): Promise<Versioned<User> | undefined> {
    return this.getVersioned(this.userCache, tenantId, userId, key.user(userId), userFrom, options);
  }

  /**
   * Many users at once, with their ETags. Ids are taken in key order, up to 200 a run, and each run
   * is one range query: a bulk job's sorted ids or a page of holders lie close together, so a run's
   * range holds few other users. A run whose range turns out sparse (more than twice its size) reads
   * its remaining ids one by one instead.
   */
  async getUsers(
    tenantId: string,
    userIds: readonly string[],
  ): Promise<Map<string, Versioned<User> | undefined>> {
    const found = new Map<string, Versioned<User> | undefined>();
    const sorted = [...new Set(userIds)].sort();
    for (let i = 0; i < sorted.length; i += usersPerRangeRead) {
      await this.readUserRun(tenantId, sorted.slice(i, i + usersPerRangeRead), found);
    }
    return new Map(userIds.map((id) => [id, found.get(id)]));
  }

  private async readUserRun(
    tenantId: string,
    run: readonly string[],
    into: Map<string, Versioned<User> | undefined>,
  ): Promise<void> {
    const [first, last] = [run[0], run.at(-1)];
    if (first === undefined || last === undefined) return;
    if (first === last) {
      into.set(first, await this.getUser(tenantId, first)); // one id: a point read is the cheapest
      return;
    }
    const wanted = new Set(run);
    const budget = 2 * run.length;
    const filter = odata`PartitionKey eq ${tenantId} and RowKey ge ${key.user(first)} and RowKey le ${key.user(last)}`;
    let scanned = 0;
    let lastKey = "";
    let complete = false;
    const pages = this.client
      .listEntities<Record<string, unknown>>({ queryOptions: { filter } })
      .byPage({ maxPageSize: budget });
    for await (const page of pages) {
      for (const entity of page) {
        scanned++;
        lastKey = str(entity, "rowKey");
        const user = userFrom(entity);
        if (!wanted.has(user.id)) continue;
        this.userCache.set(`${tenantId}|${user.id}`, user, entity.etag);
        into.set(user.id, { value: user, etag: entity.etag });
      }
      complete = !page.continuationToken;
      if (complete || scanned >= budget) break;
    }
    // Not found in the range as far as it was read: no such user. Past where a sparse range stopped:
    // read one by one, 32 at a time.
    const rest = run.filter((id) => !into.has(id) && !complete && key.user(id) > lastKey);
    for (const id of run) if (!into.has(id) && !rest.includes(id)) into.set(id, undefined);
    for (let i = 0; i < rest.length; i += 32) {
      const ids = rest.slice(i, i + 32);
      const users = await Promise.all(ids.map((id) => this.getUser(tenantId, id)));
      ids.forEach((id, j) => {
        into.set(id, users[j]);
      });
    }
  }

  /** A user as this process last read or wrote them, if it still holds that copy. */
  cachedUser(tenantId: string, userId: string): Versioned<User> | undefined {
    return this.userCache.get(`${tenantId}|${userId}`);
  }

  async isUserPrincipalNameTaken(tenantId: string, userPrincipalName: string): Promise<boolean> {
    return (await this.get(tenantId, key.upn(userPrincipalName))) !== undefined;
  }

  async listUsers(
    tenantId: string,
    options: {
      licensed?: boolean;
      needsLicense?: boolean;
      deleted?: boolean;
      top: number;
      continuation?: string;
    },
  ): Promise<Page<User>> {
    let filter = `${prefixFilter(tenantId, "user|")} and isDeleted eq ${options.deleted === true}`;
    if (options.licensed === true) filter += " and licenseCount gt 0";
    if (options.licensed === false) filter += " and licenseCount eq 0";
    if (options.needsLicense !== undefined) filter += ` and needsLicense eq ${options.needsLicense}`;
    const page = await this.page(filter, options.top, options.continuation);
    return { ...page, items: page.items.map(userFrom) };
  }

  /** Ids of the users holding a product (R16), from the holder index kept with each assignment. */
  async listHolderIds(
    tenantId: string,
    skuId: string,
    options: { top: number; continuation?: string },
  ): Promise<Page<string>> {
    const prefix = key.holder(skuId, "");
    const page = await this.page(prefixFilter(tenantId, prefix), options.top, options.continuation);
    return { ...page, items: page.items.map((entity) => str(entity, "rowKey").slice(prefix.length)) };
  }

  async getLedger(
    tenantId: string,
    skuId: string,
    options: { readonly cached?: boolean } = {},
  ): Promise<Versioned<SeatLedger> | undefined> {
    return this.getVersioned(this.ledgerCache, tenantId, skuId, key.ledger(skuId), ledgerFrom, options);
  }

  async listLedgers(tenantId: string): Promise<SeatLedger[]> {
    return (await this.list(prefixFilter(tenantId, "sku|"))).map(ledgerFrom);
  }

  async getSubscription(tenantId: string, id: string): Promise<Versioned<Subscription> | undefined> {
    const found = await this.get(tenantId, key.subscription(id));
    return found && { value: subscriptionFrom(found.value), etag: found.etag };
  }

  async listSubscriptions(tenantId: string): Promise<Subscription[]> {
    return (await this.list(prefixFilter(tenantId, "sub|"))).map(subscriptionFrom);
  }

  async listAudit(tenantId: string): Promise<AuditRecord[]> {
    return (await this.list(prefixFilter(tenantId, "audit|"))).map((entity) => ({
      id: str(entity, "rowKey").split("|")[2] ?? "",
      at: str(entity, "at"),
      actorId: str(entity, "actorId"),
      action: str(entity, "action"),
      target: str(entity, "target"),
      before: unpackJson(entity, "before"),
      after: unpackJson(entity, "after"),
    }));
  }

  async getJob(tenantId: string, jobId: string): Promise<BulkJob | undefined> {
    const found = await this.get(tenantId, key.job(jobId));
    return found && (JSON.parse(str(found.value, "job")) as BulkJob);
  }

  async getChunk(tenantId: string, jobId: string, index: number): Promise<Versioned<BulkChunk> | undefined> {
    const found = await this.get(tenantId, key.chunk(jobId, index));
    return found && { value: unpackJson(found.value, "chunk") as BulkChunk, etag: found.etag };
  }

  /** All chunks of a job, in order (a job has at most a few hundred). */
  async listChunks(tenantId: string, jobId: string): Promise<BulkChunk[]> {
    const entities = await this.list(prefixFilter(tenantId, `jobchunk|${jobId}|`));
    return entities
      .map((entity) => unpackJson(entity, "chunk") as BulkChunk)
      .sort((a, b) => a.index - b.index);
  }

  async getIdempotencyKey(
    tenantId: string,
    keyHash: string,
  ): Promise<{ jobId: string; requestHash: string } | undefined> {
    const found = await this.get(tenantId, key.idempotency(keyHash));
    return found && { jobId: str(found.value, "jobId"), requestHash: str(found.value, "requestHash") };
  }

  /** Every active user id of the tenant (a key-only scan), for a bulk request's up-front check. */
  async listActiveUserIds(tenantId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const filter = `${prefixFilter(tenantId, "user|")} and isDeleted eq false`;
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) {
      if (entity.rowKey) ids.add(entity.rowKey.slice("user|".length));
    }
    return ids;
  }

  /** Every holder of a product, from the holder index. */
  async listAllHolderIds(tenantId: string, skuId: string): Promise<Set<string>> {
    const prefix = key.holder(skuId, "");
    const ids = new Set<string>();
    const filter = prefixFilter(tenantId, prefix);
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) {
      if (entity.rowKey) ids.add(entity.rowKey.slice(prefix.length));
    }
    return ids;
  }

  /** Events committed but not yet known to be sent, oldest first. */
  async listOutbox(tenantId: string): Promise<CloudEvent[]> {
    const entities = await this.list(prefixFilter(tenantId, "outbox|"));
    return entities
      .map((entity) => JSON.parse(str(entity, "event")) as CloudEvent)
      .sort((a, b) => a.time.localeCompare(b.time));
  }

  /** Forgets sent events; one already gone is fine (another relay got there first). */
  async deleteOutbox(tenantId: string, eventIds: readonly string[]): Promise<void> {
    for (let i = 0; i < eventIds.length; i += maxActionsPerCommit) {
      const chunk = eventIds.slice(i, i + maxActionsPerCommit);
      try {
        await this.client.submitTransaction(
          chunk.map((id) => ["delete", { partitionKey: tenantId, rowKey: key.outbox(id) }]),
        );
      } catch (error) {
        if (statusCodeOf(error) !== 404) throw error;
        // A batch fails whole on one missing row: delete one by one, ignoring the missing.
        await Promise.all(
          chunk.map((id) =>
            this.client.deleteEntity(tenantId, key.outbox(id)).catch((e: unknown) => {
              if (statusCodeOf(e) !== 404) throw e;
            }),
          ),
        );
      }
    }
  }

  /**
   * Indexes retention entries by due time. Written before the commit that retains the data: an
   * entry whose commit then failed is found stale by the sweep and dropped.
   */
  async scheduleRetention(entries: readonly RetentionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const earliest = entries.map((e) => e.due.slice(0, 10)).sort()[0] ?? "";
    await this.pullRetentionCursorBack(earliest);
    // One transaction per day partition and 100 entries, so bulk work costs few round trips.
    const byPartition = new Map<string, TransactionAction[]>();
    for (const e of entries) {
      const partitionKey = retentionPartition(e.due.slice(0, 10));
      const actions = byPartition.get(partitionKey) ?? [];
      actions.push(["upsert", { partitionKey, rowKey: retentionRowKey(e), ...e }, "Replace"]);
      byPartition.set(partitionKey, actions);
    }
    await Promise.all(
      [...byPartition.values()].flatMap((actions) => {
        const chunks: Promise<unknown>[] = [];
        for (let i = 0; i < actions.length; i += maxActionsPerCommit) {
          chunks.push(this.client.submitTransaction(actions.slice(i, i + maxActionsPerCommit)));
        }
        return chunks;
      }),
    );
  }

  /** Up to `top` entries of `day` due by `now`, oldest first. */
  async listDueRetention(day: string, now: string, top: number): Promise<RetentionEntry[]> {
    const filter = odata`PartitionKey eq ${retentionPartition(day)} and RowKey lt ${`${now}|~`}`;
    const { items } = await this.page(filter, top, undefined);
    return items.map((entity) => ({
      tenantId: str(entity, "tenantId"),
      userId: str(entity, "userId"),
      kind: str(entity, "kind") as RetentionKind,
      due: str(entity, "due"),
    }));
  }

  async removeRetention(entry: RetentionEntry): Promise<void> {
    await this.client
      .deleteEntity(retentionPartition(entry.due.slice(0, 10)), retentionRowKey(entry))
      .catch((error: unknown) => {
        if (statusCodeOf(error) !== 404) throw error;
      });
  }

  /** Makes sure the sweep's cursor is not past `day`, so an entry due then is not skipped. */
  private async pullRetentionCursorBack(day: string): Promise<void> {
    if (this.knownCursorDay !== undefined && this.knownCursorDay <= day) return;
    for (;;) {
      const found = await this.get(retentionCursor.partitionKey, retentionCursor.rowKey);
      const current = found ? str(found.value, "day") : undefined;
      if (current !== undefined && current <= day) {
        this.knownCursorDay = current;
        return;
      }
      try {
        if (found)
          await this.client.updateEntity({ ...retentionCursor, day }, "Replace", { etag: found.etag });
        else await this.client.createEntity({ ...retentionCursor, day });
        this.knownCursorDay = day;
        return;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
    }
  }

  async getRetentionCursor(): Promise<string | undefined> {
    const found = await this.get(retentionCursor.partitionKey, retentionCursor.rowKey);
    return found ? str(found.value, "day") : undefined;
  }

  /** Moves the cursor forward only: two sweeps racing never move it back. */
  async advanceRetentionCursor(day: string): Promise<void> {
    const found = await this.get(retentionCursor.partitionKey, retentionCursor.rowKey);
    if (found && str(found.value, "day") >= day) return;
    try {
      if (found) {
        await this.client.updateEntity({ ...retentionCursor, day }, "Replace", { etag: found.etag });
      } else {
        await this.client.createEntity({ ...retentionCursor, day });
      }
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }

  /** Notes that `tenantId` may have unsent events in the time bucket starting at `bucket`. */
  async markPending(tenantId: string, bucket: string): Promise<void> {
    await this.client.upsertEntity(
      { partitionKey: pendingPartition, rowKey: key.pending(bucket, tenantId), tenantId, bucket },
      "Replace",
    );
  }

  /** Markers of buckets that started before `before`, oldest first, at most `limit`. */
  async listPending(
    before: string,
    limit: number,
  ): Promise<{ tenantId: string; bucket: string; etag: string }[]> {
    const filter = odata`PartitionKey eq ${pendingPartition} and RowKey lt ${before}`;
    const { items } = await this.page(filter, limit, undefined);
    return items.map((entity) => ({
      tenantId: str(entity, "tenantId"),
      bucket: str(entity, "bucket"),
      etag: str(entity, "etag"),
    }));
  }

  /** Removes a marker unless it was written again since it was listed (its ETag changed). */
  async clearPending(marker: { tenantId: string; bucket: string; etag: string }): Promise<void> {
    try {
      await this.client.deleteEntity(pendingPartition, key.pending(marker.bucket, marker.tenantId), {
        etag: marker.etag,
      });
    } catch (error) {
      const status = statusCodeOf(error);
      if (status !== 404 && status !== 412) throw error;
    }
  }

  /**
   * Commits the writes all-or-nothing. A stale ETag, an existing key on create or a vanished
   * entity throws ConcurrencyConflict: the caller re-reads and decides again.
   */
  async commit(tenantId: string, writes: readonly TenantWrite[]): Promise<void> {
    const actions = writes.flatMap((write) => toActions(tenantId, write));
    if (actions.length === 0) return;
    if (actions.length > maxActionsPerCommit) {
      throw new Error(`a commit takes at most ${maxActionsPerCommit} actions, got ${actions.length}`);
    }
    let response: Awaited<ReturnType<TableClient["submitTransaction"]>>;
    try {
      response = await this.client.submitTransaction(actions);
    } catch (error) {
      for (const write of writes) this.remember(tenantId, write, undefined);
      if (isConflict(error))
        throw new ConcurrencyConflict("a record changed while the request was processed");
      throw error;
    }
    // Sub-responses come in action order: remember the new ETags of what was written.
    let index = 0;
    for (const write of writes) {
      this.remember(tenantId, write, response.subResponses[index]?.etag);
      index += toActions(tenantId, write).length;
    }
  }

  /** Caches a written user or ledger under its new ETag, or forgets it when the ETag is unknown. */
  private remember(tenantId: string, write: TenantWrite, etag: string | undefined): void {
    if (write.kind === "createUser" || write.kind === "updateUser") {
      const cacheKey = `${tenantId}|${write.user.id}`;
      if (etag) this.userCache.set(cacheKey, write.user, etag);
      else this.userCache.delete(cacheKey);
    } else if (write.kind === "putLedger") {
      const cacheKey = `${tenantId}|${write.ledger.skuId}`;
      if (etag) this.ledgerCache.set(cacheKey, write.ledger, etag);
      else this.ledgerCache.delete(cacheKey);
    }
  }
}
