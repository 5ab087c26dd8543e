// Table Storage adapter for one tenant's licensing records. Every record of a tenant lives in one
// partition (PartitionKey = tenant id), so a user's change, the product's seat ledger and the audit
// line commit in one entity-group transaction, guarded by ETags.
import { odata, type TableClient } from "@azure/data-tables";
import { LRUCache } from "lru-cache";
import { mapLimit } from "../concurrency/map-limit.js";
import type {
  AuditRecord,
  BulkChunk,
  BulkJob,
  Group,
  Organization,
  SeatLedger,
  Subscription,
  User,
} from "../domain/model.js";
import {
  type CacheOption,
  type ChunkProgress,
  ConcurrencyConflict,
  type GroupListOptions,
  type IdPageOptions,
  type MemberLicenseError,
  maxActionsPerCommit,
  type Page,
  type TenantRecordsPort,
  type TenantWrite,
  type UserFilter,
  type UserListOptions,
  type UserPrefixProperty,
  type Versioned,
  type WrittenVersions,
} from "../usecases/ports.js";
import { isConflict } from "./conflict.js";
import {
  auditFrom,
  chunkFrom,
  chunkProgressFrom,
  type Entity,
  groupFrom,
  jobFrom,
  key,
  ledgerFrom,
  lowerCased,
  organizationFrom,
  str,
  subscriptionFrom,
  toActions,
  userFrom,
} from "./entity-encoding.js";
import { getEntity, listEntities, prefixFilter, readPage } from "./table-reads.js";

/**
 * The Table filter of a user listing. A prefix is a range of the lower-cased copy: from the prefix
 * up to (not including) the prefix with its last character raised by one.
 */
function userFilter(tenantId: string, options: UserFilter): string {
  let filter = `${prefixFilter(tenantId, "user|")} and isDeleted eq ${options.deleted === true}`;
  if (options.licensed === true) filter += " and licenseCount gt 0";
  if (options.licensed === false) filter += " and licenseCount eq 0";
  if (options.needsLicense !== undefined) filter += ` and needsLicense eq ${options.needsLicense}`;
  if (options.userType !== undefined) filter += odata` and userType eq ${options.userType}`;
  for (const { property, prefix } of options.prefixes ?? []) filter += prefixCondition(property, prefix);
  return filter;
}

/** ` and <lower-cased copy> ge <prefix> and … lt <prefix's end>`, or nothing for an empty prefix. */
function prefixCondition(property: keyof typeof lowerCased, prefix: string): string {
  const name = lowerCased[property];
  const lower = prefix.toLowerCase();
  if (lower === "") return "";
  // The property name is one of two constants; only the values go through odata's escaping.
  let condition = ` and ${name}${odata` ge ${lower}`}`;
  const end = prefixEnd(lower);
  if (end !== undefined) condition += ` and ${name}${odata` lt ${end}`}`;
  return condition;
}

function groupFilter(tenantId: string, displayNamePrefix: string | undefined): string {
  const filter = prefixFilter(tenantId, "group|");
  return displayNamePrefix === undefined
    ? filter
    : filter + prefixCondition("displayName", displayNamePrefix);
}

/** The first string after every string starting with `prefix`, if there is one. */
function prefixEnd(prefix: string): string | undefined {
  const trimmed = prefix.replace(/\uffff+$/, "");
  if (trimmed === "") return undefined;
  return trimmed.slice(0, -1) + String.fromCharCode(trimmed.charCodeAt(trimmed.length - 1) + 1);
}

/** Point reads of many users in flight at once, where range reads are not used. */
const pointReadsAtOnce = 16;

/** How many users one range query reads at most (the chunk size of bulk jobs). */
const usersPerRangeRead = 200;

/** The last records of a kind this process read or wrote, with their ETags, least recently used out first. */
type VersionedCache<T> = LRUCache<string, Versioned<T>>;

export class TenantRecords implements TenantRecordsPort {
  /**
   * The last users and ledgers this process read or wrote, with their ETags. A write based on a
   * stale copy fails its ETag check, so a cache can never cause a wrong commit; callers ask for
   * cached copies only on a first try and re-read before refusing anything.
   */
  private readonly userCache: VersionedCache<User> = new LRUCache({ max: 10_000 });
  private readonly ledgerCache: VersionedCache<SeatLedger> = new LRUCache({ max: 1_000 });
  private readonly organizationCache: VersionedCache<Organization> = new LRUCache({ max: 1_000 });

  constructor(
    private readonly client: TableClient,
    /**
     * Read many users by key range (Table Storage serves a range from its index), or by point reads
     * alone: Azurite answers every range query by testing each row of the table, so there a range
     * read costs as much as the whole table, and point reads (indexed) are far cheaper.
     */
    private readonly options: { readonly rangeReads: boolean } = { rangeReads: true },
  ) {}

  private get(tenantId: string, rowKey: string): Promise<Versioned<Entity> | undefined> {
    return getEntity(this.client, tenantId, rowKey);
  }

  private list(filter: string): Promise<Entity[]> {
    return listEntities(this.client, filter);
  }

  private page(filter: string, top: number, continuation: string | undefined): Promise<Page<Entity>> {
    return readPage(this.client, filter, top, continuation);
  }

  /** Reads one record through a cache: from it when `cached` allows, else from storage into it. */
  private async getVersioned<T>(
    cache: VersionedCache<T>,
    tenantId: string,
    id: string,
    rowKey: string,
    map: (entity: Entity) => T,
    options: CacheOption,
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
    cache.set(cacheKey, { value, etag: found.etag });
    return { value, etag: found.etag };
  }

  async getUser(
    tenantId: string,
    userId: string,
    options: CacheOption = {},
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
    if (!this.options.rangeReads) {
      const read = await mapLimit(
        sorted,
        pointReadsAtOnce,
        async (id) => [id, await this.getUser(tenantId, id)] as const,
      );
      const byId = new Map(read);
      return new Map(userIds.map((id) => [id, byId.get(id)]));
    }
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
        this.userCache.set(`${tenantId}|${user.id}`, { value: user, etag: entity.etag });
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

  async findUserIdByPrincipalName(tenantId: string, userPrincipalName: string): Promise<string | undefined> {
    const found = await this.get(tenantId, key.upn(userPrincipalName));
    return found && str(found.value, "userId");
  }

  async listUsers(tenantId: string, options: UserListOptions): Promise<Page<User>> {
    const page = await this.page(userFilter(tenantId, options), options.top, options.continuation);
    return { ...page, items: page.items.map(userFrom) };
  }

  /** A key-only scan (RowKey, and purgedAt for deleted users) of the users the filter takes. */
  async listUserIds(tenantId: string, filter: UserFilter): Promise<Set<string>> {
    const ids = new Set<string>();
    for await (const { id } of this.scanUsers(tenantId, filter, [])) ids.add(id);
    return ids;
  }

  /**
   * The users the filter takes with the property's lower-cased copy: a scan of three columns. A row
   * written before the copies existed has only the property itself, lower-cased here.
   */
  async listUserSortKeys(
    tenantId: string,
    filter: UserFilter,
    property: UserPrefixProperty,
  ): Promise<Map<string, string>> {
    const lower = lowerCased[property];
    const keys = new Map<string, string>();
    for await (const { id, entity } of this.scanUsers(tenantId, filter, [lower, property])) {
      keys.set(id, String(entity[lower] ?? entity[property] ?? "").toLowerCase());
    }
    return keys;
  }

  /** The users the filter takes, reading their keys, purgedAt and the `columns` only; purged ones left out. */
  private async *scanUsers(tenantId: string, filter: UserFilter, columns: readonly string[]) {
    const select = ["RowKey", "purgedAt", ...columns];
    const queryOptions = { filter: userFilter(tenantId, filter), select };
    for await (const entity of this.client.listEntities<Record<string, unknown>>({ queryOptions })) {
      if (entity.rowKey && entity.purgedAt === undefined) {
        yield { id: entity.rowKey.slice("user|".length), entity };
      }
    }
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
    options: CacheOption = {},
  ): Promise<Versioned<SeatLedger> | undefined> {
    return this.getVersioned(this.ledgerCache, tenantId, skuId, key.ledger(skuId), ledgerFrom, options);
  }

  async getOrganization(
    tenantId: string,
    options: CacheOption = {},
  ): Promise<Versioned<Organization> | undefined> {
    return this.getVersioned(
      this.organizationCache,
      tenantId,
      key.organization,
      key.organization,
      organizationFrom,
      options,
    );
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
    return (await this.list(prefixFilter(tenantId, "audit|"))).map(auditFrom);
  }

  async getJob(tenantId: string, jobId: string): Promise<BulkJob | undefined> {
    const found = await this.get(tenantId, key.job(jobId));
    return found && jobFrom(found.value);
  }

  async listJobs(tenantId: string): Promise<BulkJob[]> {
    return (await this.list(prefixFilter(tenantId, "job|"))).map(jobFrom);
  }

  async getChunk(tenantId: string, jobId: string, index: number): Promise<Versioned<BulkChunk> | undefined> {
    const found = await this.get(tenantId, key.chunk(jobId, index));
    return found && { value: chunkFrom(found.value), etag: found.etag };
  }

  /** All chunks of a job, in order (a job has at most a few hundred). */
  async listChunks(tenantId: string, jobId: string): Promise<BulkChunk[]> {
    const entities = await this.list(prefixFilter(tenantId, `jobchunk|${jobId}|`));
    return entities.map(chunkFrom).sort((a, b) => a.index - b.index);
  }

  async listChunkProgress(
    tenantId: string,
    job: Pick<BulkJob, "id" | "chunkCount">,
  ): Promise<ChunkProgress[]> {
    const jobId = job.id;
    if (!this.options.rangeReads) {
      // On Azurite a key range costs a test of every row of the table; a job's chunks are known by
      // their indexes, and point reads of them are indexed.
      const indexes = Array.from({ length: job.chunkCount }, (_, index) => index);
      const found = await mapLimit(indexes, pointReadsAtOnce, (index) =>
        this.get(tenantId, key.chunk(jobId, index)),
      );
      return found.flatMap((entity) => (entity ? [chunkProgressFrom(entity.value)] : []));
    }
    const filter = prefixFilter(tenantId, `jobchunk|${jobId}|`);
    const select = ["RowKey", "processed", "failed", "completedAt"];
    const progress: ChunkProgress[] = [];
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select } })) {
      // A row stored before the counting columns has only its packed chunk: read it whole.
      if (typeof entity.processed === "number") progress.push(chunkProgressFrom(entity as Entity));
      else {
        const whole = await this.get(tenantId, String(entity.rowKey));
        if (whole) progress.push(chunkProgressFrom(whole.value));
      }
    }
    return progress;
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

  async getGroup(tenantId: string, groupId: string): Promise<Versioned<Group> | undefined> {
    const found = await this.get(tenantId, key.group(groupId));
    return found && { value: groupFrom(found.value), etag: found.etag };
  }

  async listGroups(tenantId: string, options: GroupListOptions): Promise<Page<Group>> {
    const filter = groupFilter(tenantId, options.displayNamePrefix);
    const page = await this.page(filter, options.top, options.continuation);
    return { ...page, items: page.items.map(groupFrom) };
  }

  async countGroups(tenantId: string, options: { readonly displayNamePrefix?: string }): Promise<number> {
    const queryOptions = { filter: groupFilter(tenantId, options.displayNamePrefix), select: ["RowKey"] };
    let count = 0;
    for await (const _ of this.client.listEntities({ queryOptions })) count++;
    return count;
  }

  async isMember(tenantId: string, groupId: string, userId: string): Promise<boolean> {
    return (await this.get(tenantId, key.member(groupId, userId))) !== undefined;
  }

  async listAllMemberIds(tenantId: string, groupId: string): Promise<string[]> {
    const prefix = key.member(groupId, "");
    const ids: string[] = [];
    const filter = prefixFilter(tenantId, prefix);
    for await (const entity of this.client.listEntities({ queryOptions: { filter, select: ["RowKey"] } })) {
      if (entity.rowKey) ids.push(entity.rowKey.slice(prefix.length));
    }
    return ids;
  }

  listMemberIds(tenantId: string, groupId: string, options: IdPageOptions): Promise<Page<string>> {
    return this.idPage(tenantId, key.member(groupId, ""), options);
  }

  listMemberOfIds(tenantId: string, userId: string, options: IdPageOptions): Promise<Page<string>> {
    return this.idPage(tenantId, key.memberOf(userId, ""), options);
  }

  async listLicenseErrors(tenantId: string, groupId?: string): Promise<MemberLicenseError[]> {
    const prefix = groupId === undefined ? "licerror|" : key.licenseError(groupId, "");
    const entries: MemberLicenseError[] = [];
    for await (const entity of this.client.listEntities({
      queryOptions: { filter: prefixFilter(tenantId, prefix) },
    })) {
      const [, group = "", userId = ""] = str(entity, "rowKey").split("|");
      entries.push({
        groupId: group,
        userId,
        error: str(entity, "error") as MemberLicenseError["error"],
        skuIds: JSON.parse(str(entity, "skuIds")) as string[],
        since: str(entity, "since"),
      });
    }
    return entries;
  }

  /** The last key segment of each row under `prefix`, a page at a time. */
  private async idPage(tenantId: string, prefix: string, options: IdPageOptions): Promise<Page<string>> {
    const page = await this.page(prefixFilter(tenantId, prefix), options.top, options.continuation);
    return { ...page, items: page.items.map((entity) => str(entity, "rowKey").slice(prefix.length)) };
  }

  /**
   * Commits the writes all-or-nothing. A stale ETag, an existing key on create or a vanished
   * entity throws ConcurrencyConflict: the caller re-reads and decides again. Answers the new ETags.
   */
  async commit(tenantId: string, writes: readonly TenantWrite[]): Promise<WrittenVersions> {
    const actions = writes.flatMap((write) => toActions(tenantId, write));
    const versions = new Map<TenantWrite, string>();
    if (actions.length === 0) return versions;
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
    // Sub-responses come in action order, a write's record first: remember the new ETags.
    let index = 0;
    for (const write of writes) {
      const etag = response.subResponses[index]?.etag;
      this.remember(tenantId, write, etag);
      if (etag) versions.set(write, etag);
      index += toActions(tenantId, write).length;
    }
    return versions;
  }

  /** Caches a written user, ledger or organisation under its new ETag, or forgets it when the ETag is unknown. */
  private remember(tenantId: string, write: TenantWrite, etag: string | undefined): void {
    if (write.kind === "createUser" || write.kind === "updateUser") {
      const cacheKey = `${tenantId}|${write.user.id}`;
      if (etag) this.userCache.set(cacheKey, { value: write.user, etag });
      else this.userCache.delete(cacheKey);
    } else if (write.kind === "putLedger") {
      const cacheKey = `${tenantId}|${write.ledger.skuId}`;
      if (etag) this.ledgerCache.set(cacheKey, { value: write.ledger, etag });
      else this.ledgerCache.delete(cacheKey);
    } else if (write.kind === "putOrganization") {
      const cacheKey = `${tenantId}|${key.organization}`;
      if (etag) this.organizationCache.set(cacheKey, { value: write.organization, etag });
      else this.organizationCache.delete(cacheKey);
    }
  }
}
