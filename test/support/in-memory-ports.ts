// Small in-memory fakes of the storage ports, so a use case can be tested without Azurite. They keep
// the contract of the Table Storage adapters in shared/storage, no laxer: a commit applies all its
// writes or none; a stale ETag, an existing key on create or a vanished row (an update, a delete)
// throws ConcurrencyConflict; a commit of more than `maxActionsPerCommit` actions, or one naming a
// row twice, is refused as Table Storage refuses it; each write gives the record a new ETag; what is
// read is a copy (as if deserialised), never the stored object; and the process's cache of users
// and ledgers answers `cached` reads as TenantRecords does, so a stale copy fails its commit.
import { createHash } from "node:crypto";
import { KeyedLock } from "../../shared/concurrency/keyed-lock.js";
import { chunkProgress } from "../../shared/domain/bulk.js";
import type { CloudEvent } from "../../shared/domain/events.js";
import type {
  AuditRecord,
  BulkChunk,
  BulkJob,
  Group,
  Organization,
  SeatLedger,
  Subscription,
  User,
} from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { needsLicense } from "../../shared/domain/provisioning.js";
import type { RetentionEntry } from "../../shared/domain/retention.js";
import { Outbox } from "../../shared/messaging/outbox.js";
import { createProvisioningBatcher } from "../../shared/usecases/apply-provisioning.js";
import type { Clock, Deps, EventPublisher, Logger } from "../../shared/usecases/deps.js";
import {
  actionCount,
  type CacheOption,
  type ChunkProgress,
  ConcurrencyConflict,
  type GroupListOptions,
  type IdPageOptions,
  type MemberLicenseError,
  maxActionsPerCommit,
  type OutboxRow,
  type OutboxStorePort,
  type Page,
  type PendingMarker,
  type RejectedEvent,
  type RejectedEventsPort,
  type RetentionIndexPort,
  type TenantRecordsPort,
  type TenantWrite,
  type UnfinishedJob,
  type UnfinishedJobsPort,
  type UserFilter,
  type UserListOptions,
  type UserPrefixProperty,
  type Versioned,
  type WrittenVersions,
} from "../../shared/usecases/ports.js";

/** A deep copy, as a record read back from storage is: JSON drops what storage would not keep. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const copyVersioned = <T>(found: Versioned<T> | undefined): Versioned<T> | undefined =>
  found && { value: copy(found.value), etag: found.etag };

/** One tenant's rows, by kind and key, each versioned row with its ETag. */
export interface Tenant {
  users: Map<string, Versioned<User>>;
  /** Lower-cased sign-in name → user id: the reservation rows. */
  upns: Map<string, string>;
  ledgers: Map<string, Versioned<SeatLedger>>;
  subscriptions: Map<string, Versioned<Subscription>>;
  /** `${skuId}|${userId}` */
  holders: Set<string>;
  /** By `${at}|${id}`, the adapter's key order. */
  audit: Map<string, AuditRecord>;
  outbox: Map<string, OutboxRow>;
  jobs: Map<string, BulkJob>;
  /** By `${jobId}|${index}`. */
  chunks: Map<string, Versioned<BulkChunk>>;
  idempotencyKeys: Map<string, { jobId: string; requestHash: string }>;
  groups: Map<string, Versioned<Group>>;
  /** `${groupId}|${userId}` */
  members: Set<string>;
  /** `${userId}|${groupId}`: the reverse index, kept with `members`. */
  memberOf: Set<string>;
  /** The one organisation record, under the key `organization`. */
  organization: Map<string, Versioned<Organization>>;
  /** By `${groupId}|${userId}`. */
  licenseErrors: Map<string, MemberLicenseError>;
}

const emptyTenant = (): Tenant => ({
  users: new Map(),
  upns: new Map(),
  ledgers: new Map(),
  subscriptions: new Map(),
  holders: new Set(),
  audit: new Map(),
  outbox: new Map(),
  jobs: new Map(),
  chunks: new Map(),
  idempotencyKeys: new Map(),
  groups: new Map(),
  members: new Set(),
  memberOf: new Set(),
  organization: new Map(),
  licenseErrors: new Map(),
});

const cloneTenant = (t: Tenant): Tenant => ({
  users: new Map(t.users),
  upns: new Map(t.upns),
  ledgers: new Map(t.ledgers),
  subscriptions: new Map(t.subscriptions),
  holders: new Set(t.holders),
  audit: new Map(t.audit),
  outbox: new Map(t.outbox),
  jobs: new Map(t.jobs),
  chunks: new Map(t.chunks),
  idempotencyKeys: new Map(t.idempotencyKeys),
  groups: new Map(t.groups),
  members: new Set(t.members),
  memberOf: new Set(t.memberOf),
  organization: new Map(t.organization),
  licenseErrors: new Map(t.licenseErrors),
});

const chunkKey = (jobId: string, index: number) => `${jobId}|${String(index).padStart(5, "0")}`;

/** The rows a write touches (as `toActions` makes them): Table Storage refuses a row twice in one transaction. */
function rowsOf(write: TenantWrite): string[] {
  switch (write.kind) {
    case "createUser":
      return [`user|${write.user.id}`, `upn|${write.user.userPrincipalName.toLowerCase()}`];
    case "updateUser":
      return [`user|${write.user.id}`];
    case "putLedger":
      return [`sku|${write.ledger.skuId}`];
    case "putSubscription":
      return [`sub|${write.subscription.id}`];
    case "addHolder":
    case "removeHolder":
      return [`holder|${write.skuId}|${write.userId}`];
    case "audit":
      return [`audit|${write.record.at}|${write.record.id}`];
    case "outbox":
      return [`outbox|${write.row.id}`];
    case "releaseUserPrincipalName":
      return [`upn|${write.userPrincipalName.toLowerCase()}`];
    case "createJob":
      return [`job|${write.job.id}`];
    case "putChunk":
      return [`jobchunk|${chunkKey(write.chunk.jobId, write.chunk.index)}`];
    case "createIdempotencyKey":
      return [`idem|${write.keyHash}`];
    case "createGroup":
    case "updateGroup":
      return [`group|${write.group.id}`];
    case "deleteGroup":
      return [`group|${write.groupId}`];
    case "addMember":
    case "removeMember":
      return [`member|${write.groupId}|${write.userId}`, `memberof|${write.userId}|${write.groupId}`];
    case "putOrganization":
      return ["organization"];
    case "putLicenseError":
      return [`licerror|${write.entry.groupId}|${write.entry.userId}`];
    case "removeLicenseError":
      return [`licerror|${write.groupId}|${write.userId}`];
  }
}

/** A continuation the fakes hand out: the key to start from. Anything else is the caller's mistake. */
const continuationOf = (nextKey: string) => Buffer.from(`next|${nextKey}`).toString("base64");
function startKeyOf(continuation: string | undefined): string | undefined {
  if (continuation === undefined) return undefined;
  const text = Buffer.from(continuation, "base64").toString();
  if (!text.startsWith("next|")) {
    throw new ProblemError(
      "ValidationFailed",
      "skipToken is not one this service issued; follow nextLink instead.",
      [{ path: "skipToken", message: "not a valid continuation" }],
    );
  }
  return text.slice("next|".length);
}

/** Up to `top` of `rows` (sorted by key) from the continuation's key on. */
function pageOf<T>(
  rows: readonly (readonly [string, T])[],
  top: number,
  continuation: string | undefined,
): Page<T> {
  const start = startKeyOf(continuation);
  const from = start === undefined ? rows : rows.filter(([key]) => key >= start);
  const items = from.slice(0, top).map(([, item]) => item);
  const next = from[top];
  return next ? { items, continuation: continuationOf(next[0]) } : { items };
}

const byKey = <T>(rows: Iterable<readonly [string, T]>): (readonly [string, T])[] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** What the storage account holds: every tenant's rows, and the counter their ETags come from. */
interface Storage {
  readonly tenants: Map<string, Tenant>;
  version: number;
}

export class InMemoryTenantRecords implements TenantRecordsPort {
  /** Shared with the other processes of the same storage (`anotherProcess`); the caches are not. */
  private readonly storage: Storage;
  /** This process's last copies, as TenantRecords keeps them: answers `cached` reads. */
  private readonly userCache = new Map<string, Versioned<User>>();
  private readonly ledgerCache = new Map<string, Versioned<SeatLedger>>();
  private readonly organizationCache = new Map<string, Versioned<Organization>>();
  /** Every commit that went through, in order. */
  readonly commits: { tenantId: string; writes: readonly TenantWrite[] }[] = [];

  constructor(storage: Storage = { tenants: new Map(), version: 0 }) {
    this.storage = storage;
  }

  private get tenants(): Map<string, Tenant> {
    return this.storage.tenants;
  }

  /** The same storage seen from a second instance of the app: its own cache, its own commits. */
  anotherProcess(): InMemoryTenantRecords {
    return new InMemoryTenantRecords(this.storage);
  }

  /** The tenant's rows as stored (read them; change them only through `commit`). */
  tenant(tenantId: string): Tenant {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = emptyTenant();
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }

  async getUser(
    tenantId: string,
    userId: string,
    options: CacheOption = {},
  ): Promise<Versioned<User> | undefined> {
    const cacheKey = `${tenantId}|${userId}`;
    const cached = options.cached ? this.userCache.get(cacheKey) : undefined;
    if (cached) return copyVersioned(cached);
    const found = this.tenant(tenantId).users.get(userId);
    if (found) this.userCache.set(cacheKey, found);
    else this.userCache.delete(cacheKey);
    return copyVersioned(found);
  }
  async getUsers(tenantId: string, userIds: readonly string[]) {
    const users = this.tenant(tenantId).users;
    for (const id of userIds) {
      const found = users.get(id);
      if (found) this.userCache.set(`${tenantId}|${id}`, found);
    }
    return new Map(userIds.map((id) => [id, copyVersioned(users.get(id))]));
  }
  cachedUser(tenantId: string, userId: string): Versioned<User> | undefined {
    return copyVersioned(this.userCache.get(`${tenantId}|${userId}`));
  }
  async isUserPrincipalNameTaken(tenantId: string, upn: string): Promise<boolean> {
    return this.tenant(tenantId).upns.has(upn.toLowerCase());
  }
  async findUserIdByPrincipalName(tenantId: string, upn: string): Promise<string | undefined> {
    return this.tenant(tenantId).upns.get(upn.toLowerCase());
  }
  /** The users a filter takes, as the adapter's Table filter does (prefixes on lower-cased copies). */
  private filtered(tenantId: string, options: UserFilter): User[] {
    return [...this.tenant(tenantId).users.values()]
      .map((u) => u.value)
      .filter((u) => (u.deletedAt !== undefined) === (options.deleted === true))
      .filter((u) => options.licensed === undefined || u.assignedLicenses.length > 0 === options.licensed)
      .filter((u) => options.needsLicense === undefined || needsLicense(u) === options.needsLicense)
      .filter((u) => options.userType === undefined || u.userType === options.userType)
      .filter((u) =>
        (options.prefixes ?? []).every(({ property, prefix }) =>
          u[property].toLowerCase().startsWith(prefix.toLowerCase()),
        ),
      );
  }
  async listUsers(tenantId: string, options: UserListOptions): Promise<Page<User>> {
    const rows = byKey(this.filtered(tenantId, options).map((u) => [u.id, copy(u)] as const));
    return pageOf(rows, options.top, options.continuation);
  }
  async listUserIds(tenantId: string, options: UserFilter): Promise<Set<string>> {
    return new Set(this.filtered(tenantId, options).flatMap((u) => (u.purgedAt ? [] : [u.id])));
  }
  async listUserSortKeys(
    tenantId: string,
    options: UserFilter,
    property: UserPrefixProperty,
  ): Promise<Map<string, string>> {
    const users = this.filtered(tenantId, options).filter((u) => !u.purgedAt);
    return new Map(users.map((u) => [u.id, u[property].toLowerCase()]));
  }
  async listActiveUserIds(tenantId: string): Promise<Set<string>> {
    const users = [...this.tenant(tenantId).users.values()];
    return new Set(users.filter((u) => u.value.deletedAt === undefined).map((u) => u.value.id));
  }
  private holderIds(tenantId: string, skuId: string): string[] {
    const prefix = `${skuId}|`;
    return [...this.tenant(tenantId).holders]
      .filter((h) => h.startsWith(prefix))
      .map((h) => h.slice(prefix.length))
      .sort();
  }
  async listHolderIds(
    tenantId: string,
    skuId: string,
    options: { top: number; continuation?: string },
  ): Promise<Page<string>> {
    return pageOf(
      this.holderIds(tenantId, skuId).map((id) => [id, id] as const),
      options.top,
      options.continuation,
    );
  }
  async listAllHolderIds(tenantId: string, skuId: string): Promise<Set<string>> {
    return new Set(this.holderIds(tenantId, skuId));
  }
  async getLedger(
    tenantId: string,
    skuId: string,
    options: CacheOption = {},
  ): Promise<Versioned<SeatLedger> | undefined> {
    const cacheKey = `${tenantId}|${skuId}`;
    const cached = options.cached ? this.ledgerCache.get(cacheKey) : undefined;
    if (cached) return copyVersioned(cached);
    const found = this.tenant(tenantId).ledgers.get(skuId);
    if (found) this.ledgerCache.set(cacheKey, found);
    else this.ledgerCache.delete(cacheKey);
    return copyVersioned(found);
  }
  async getOrganization(
    tenantId: string,
    options: CacheOption = {},
  ): Promise<Versioned<Organization> | undefined> {
    const cached = options.cached ? this.organizationCache.get(tenantId) : undefined;
    if (cached) return copyVersioned(cached);
    const found = this.tenant(tenantId).organization.get("organization");
    if (found) this.organizationCache.set(tenantId, found);
    else this.organizationCache.delete(tenantId);
    return copyVersioned(found);
  }
  async listLedgers(tenantId: string): Promise<SeatLedger[]> {
    return byKey(this.tenant(tenantId).ledgers).map(([, l]) => copy(l.value));
  }
  async getSubscription(tenantId: string, id: string): Promise<Versioned<Subscription> | undefined> {
    return copyVersioned(this.tenant(tenantId).subscriptions.get(id));
  }
  async listSubscriptions(tenantId: string): Promise<Subscription[]> {
    return byKey(this.tenant(tenantId).subscriptions).map(([, s]) => copy(s.value));
  }
  async listAudit(tenantId: string): Promise<AuditRecord[]> {
    return byKey(this.tenant(tenantId).audit).map(([, r]) => copy(r));
  }
  async getJob(tenantId: string, jobId: string): Promise<BulkJob | undefined> {
    const job = this.tenant(tenantId).jobs.get(jobId);
    return job && copy(job);
  }
  async getChunk(tenantId: string, jobId: string, index: number): Promise<Versioned<BulkChunk> | undefined> {
    return copyVersioned(this.tenant(tenantId).chunks.get(chunkKey(jobId, index)));
  }
  async listJobs(tenantId: string): Promise<BulkJob[]> {
    return [...this.tenant(tenantId).jobs.values()].map(copy);
  }
  async listChunks(tenantId: string, jobId: string): Promise<BulkChunk[]> {
    return byKey(this.tenant(tenantId).chunks)
      .filter(([key]) => key.startsWith(`${jobId}|`))
      .map(([, c]) => copy(c.value));
  }
  async getIdempotencyKey(
    tenantId: string,
    keyHash: string,
  ): Promise<{ jobId: string; requestHash: string } | undefined> {
    const found = this.tenant(tenantId).idempotencyKeys.get(keyHash);
    return found && { ...found };
  }

  async getGroup(tenantId: string, groupId: string): Promise<Versioned<Group> | undefined> {
    return copyVersioned(this.tenant(tenantId).groups.get(groupId));
  }
  /** The groups a prefix takes, as the adapter's filter on the lower-cased displayName does. */
  private filteredGroups(tenantId: string, prefix: string | undefined): Group[] {
    const lower = prefix?.toLowerCase() ?? "";
    return [...this.tenant(tenantId).groups.values()]
      .map((g) => g.value)
      .filter((g) => g.displayName.toLowerCase().startsWith(lower));
  }
  async listGroups(tenantId: string, options: GroupListOptions): Promise<Page<Group>> {
    const rows = byKey(
      this.filteredGroups(tenantId, options.displayNamePrefix).map((g) => [g.id, copy(g)] as const),
    );
    return pageOf(rows, options.top, options.continuation);
  }
  async countGroups(tenantId: string, options: { readonly displayNamePrefix?: string }): Promise<number> {
    return this.filteredGroups(tenantId, options.displayNamePrefix).length;
  }
  async isMember(tenantId: string, groupId: string, userId: string): Promise<boolean> {
    return this.tenant(tenantId).members.has(`${groupId}|${userId}`);
  }
  /** The last segment of each `${prefix}|${id}` row, in key order, a page at a time. */
  private idPage(rows: Set<string>, prefix: string, options: IdPageOptions): Page<string> {
    const ids = [...rows]
      .filter((row) => row.startsWith(`${prefix}|`))
      .map((row) => row.slice(prefix.length + 1))
      .sort();
    return pageOf(
      ids.map((id) => [id, id] as const),
      options.top,
      options.continuation,
    );
  }
  async listMemberIds(tenantId: string, groupId: string, options: IdPageOptions): Promise<Page<string>> {
    return this.idPage(this.tenant(tenantId).members, groupId, options);
  }
  async listMemberOfIds(tenantId: string, userId: string, options: IdPageOptions): Promise<Page<string>> {
    return this.idPage(this.tenant(tenantId).memberOf, userId, options);
  }
  async listAllMemberIds(tenantId: string, groupId: string): Promise<string[]> {
    return this.idPage(this.tenant(tenantId).members, groupId, {
      top: Number.MAX_SAFE_INTEGER,
    }).items.slice();
  }
  async listChunkProgress(
    tenantId: string,
    job: Pick<BulkJob, "id" | "chunkCount">,
  ): Promise<ChunkProgress[]> {
    return (await this.listChunks(tenantId, job.id)).map(chunkProgress);
  }

  async listLicenseErrors(tenantId: string, groupId?: string): Promise<MemberLicenseError[]> {
    return [...this.tenant(tenantId).licenseErrors]
      .filter(([key]) => groupId === undefined || key.startsWith(`${groupId}|`))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([, entry]) => copy(entry));
  }

  async commit(tenantId: string, writes: readonly TenantWrite[]): Promise<WrittenVersions> {
    return this.apply(tenantId, writes, true);
  }

  /**
   * Another process's commit: the same storage, but this process's cache does not learn of it, so
   * a `cached` read afterwards answers the copy from before (as on a real second instance).
   */
  async commitElsewhere(tenantId: string, writes: readonly TenantWrite[]): Promise<WrittenVersions> {
    return this.apply(tenantId, writes, false);
  }

  private apply(tenantId: string, writes: readonly TenantWrite[], remember: boolean): WrittenVersions {
    const versions = new Map<TenantWrite, string>();
    const actions = actionCount(writes);
    if (actions === 0) return versions;
    if (actions > maxActionsPerCommit) {
      throw new Error(`a commit takes at most ${maxActionsPerCommit} actions, got ${actions}`);
    }
    const rows = writes.flatMap(rowsOf);
    const twice = rows.find((row, i) => rows.indexOf(row) !== i);
    if (twice !== undefined) {
      // Table Storage answers 400 (InvalidDuplicateRow): not a conflict, a bug in the caller.
      throw new Error(`row ${twice} appears twice in one transaction`);
    }
    try {
      this.tenants.set(
        tenantId,
        this.applied(this.tenant(tenantId), writes, remember ? tenantId : undefined, versions),
      );
    } catch (error) {
      // As the adapter: after a failed commit the cache forgets what it tried to write.
      if (remember) for (const write of writes) this.remember(tenantId, write, undefined);
      throw error;
    }
    this.commits.push({ tenantId, writes });
    return versions;
  }

  /** The tenant with `writes` applied to a copy: the stored tenant is replaced only if all succeed. */
  private applied(
    current: Tenant,
    writes: readonly TenantWrite[],
    rememberFor: string | undefined,
    versions: Map<TenantWrite, string>,
  ): Tenant {
    const next = cloneTenant(current);
    const written: [TenantWrite, string][] = [];
    const put = <T>(
      map: Map<string, Versioned<T>>,
      id: string,
      value: T,
      etag: string | undefined,
    ): string => {
      const stored = map.get(id);
      if (etag === undefined ? stored !== undefined : stored?.etag !== etag) {
        throw new ConcurrencyConflict(
          stored === undefined
            ? `record ${id} is gone`
            : etag === undefined
              ? `record ${id} exists`
              : `record ${id} changed`,
        );
      }
      const newEtag = `W/"v${++this.storage.version}"`;
      map.set(id, { value: copy(value), etag: newEtag });
      return newEtag;
    };
    const create = <T>(map: Map<string, T>, id: string, value: T) => {
      if (map.has(id)) throw new ConcurrencyConflict(`record ${id} exists`);
      map.set(id, copy(value));
    };
    for (const write of writes) {
      switch (write.kind) {
        case "createUser": {
          const upn = write.user.userPrincipalName.toLowerCase();
          if (next.upns.has(upn)) throw new ConcurrencyConflict("upn taken");
          next.upns.set(upn, write.user.id);
          written.push([write, put(next.users, write.user.id, write.user, undefined)]);
          break;
        }
        case "updateUser":
          written.push([write, put(next.users, write.user.id, write.user, write.etag)]);
          break;
        case "putLedger":
          written.push([write, put(next.ledgers, write.ledger.skuId, write.ledger, write.etag)]);
          break;
        case "putSubscription":
          written.push([
            write,
            put(next.subscriptions, write.subscription.id, write.subscription, write.etag),
          ]);
          break;
        case "addHolder":
          next.holders.add(`${write.skuId}|${write.userId}`);
          break;
        case "removeHolder":
          if (!next.holders.delete(`${write.skuId}|${write.userId}`))
            throw new ConcurrencyConflict("no holder");
          break;
        case "audit":
          create(next.audit, `${write.record.at}|${write.record.id}`, write.record);
          break;
        case "outbox":
          create(next.outbox, write.row.id, write.row);
          break;
        case "releaseUserPrincipalName":
          if (!next.upns.delete(write.userPrincipalName.toLowerCase()))
            throw new ConcurrencyConflict("sign-in name already released");
          break;
        case "createJob":
          create(next.jobs, write.job.id, write.job);
          break;
        case "putChunk":
          written.push([
            write,
            put(next.chunks, chunkKey(write.chunk.jobId, write.chunk.index), write.chunk, write.etag),
          ]);
          break;
        case "createIdempotencyKey":
          create(next.idempotencyKeys, write.keyHash, { jobId: write.jobId, requestHash: write.requestHash });
          break;
        case "createGroup":
          written.push([write, put(next.groups, write.group.id, write.group, undefined)]);
          break;
        case "updateGroup":
          written.push([write, put(next.groups, write.group.id, write.group, write.etag)]);
          break;
        case "deleteGroup":
          if (!next.groups.delete(write.groupId)) throw new ConcurrencyConflict("group already gone");
          break;
        case "addMember": {
          const [member, memberOf] = [`${write.groupId}|${write.userId}`, `${write.userId}|${write.groupId}`];
          if (next.members.has(member) || next.memberOf.has(memberOf))
            throw new ConcurrencyConflict("membership exists");
          next.members.add(member);
          next.memberOf.add(memberOf);
          break;
        }
        case "putOrganization":
          written.push([write, put(next.organization, "organization", write.organization, write.etag)]);
          break;
        case "removeMember":
          if (
            !next.members.delete(`${write.groupId}|${write.userId}`) ||
            !next.memberOf.delete(`${write.userId}|${write.groupId}`)
          )
            throw new ConcurrencyConflict("no membership");
          break;
        case "putLicenseError":
          next.licenseErrors.set(`${write.entry.groupId}|${write.entry.userId}`, copy(write.entry));
          break;
        case "removeLicenseError":
          if (!next.licenseErrors.delete(`${write.groupId}|${write.userId}`))
            throw new ConcurrencyConflict("no license error");
          break;
      }
    }
    if (rememberFor !== undefined)
      for (const [write, etag] of written) this.remember(rememberFor, write, etag);
    for (const [write, etag] of written) versions.set(write, etag);
    return next;
  }

  private remember(tenantId: string, write: TenantWrite, etag: string | undefined): void {
    if (write.kind === "createUser" || write.kind === "updateUser") {
      const cacheKey = `${tenantId}|${write.user.id}`;
      if (etag) this.userCache.set(cacheKey, { value: copy(write.user), etag });
      else this.userCache.delete(cacheKey);
    } else if (write.kind === "putLedger") {
      const cacheKey = `${tenantId}|${write.ledger.skuId}`;
      if (etag) this.ledgerCache.set(cacheKey, { value: copy(write.ledger), etag });
      else this.ledgerCache.delete(cacheKey);
    } else if (write.kind === "putOrganization") {
      if (etag) this.organizationCache.set(tenantId, { value: copy(write.organization), etag });
      else this.organizationCache.delete(tenantId);
    }
  }
}

export class InMemoryOutboxStore implements OutboxStorePort {
  private readonly markers = new Map<string, PendingMarker>();
  private version = 0;

  constructor(private readonly records: InMemoryTenantRecords) {}

  async listOutbox(tenantId: string): Promise<OutboxRow[]> {
    const time = (row: OutboxRow) => row.events[0]?.time ?? "";
    return [...this.records.tenant(tenantId).outbox.values()]
      .map(copy)
      .sort((a, b) => time(a).localeCompare(time(b)));
  }
  async deleteOutbox(tenantId: string, rowIds: readonly string[]): Promise<void> {
    const outbox = this.records.tenant(tenantId).outbox;
    for (const id of rowIds) outbox.delete(id);
  }
  async markPending(tenantId: string, bucket: string): Promise<void> {
    this.markers.set(`${bucket}|${tenantId}`, { tenantId, bucket, etag: `W/"m${++this.version}"` });
  }
  async listPending(before: string, limit: number): Promise<PendingMarker[]> {
    return byKey(this.markers)
      .filter(([key]) => key < before)
      .slice(0, limit)
      .map(([, m]) => m);
  }
  /** Removes a marker unless it was written again since it was listed (its ETag changed). */
  async clearPending(marker: PendingMarker): Promise<void> {
    const key = `${marker.bucket}|${marker.tenantId}`;
    if (this.markers.get(key)?.etag === marker.etag) this.markers.delete(key);
  }
}

const retentionKey = (e: RetentionEntry) => `${e.due}|${e.tenantId}|${e.userId}|${e.kind}`;

/** Retention entries by day partition and due-time key, as RetentionIndex keeps them. */
export class InMemoryRetentionIndex implements RetentionIndexPort {
  /** By day, then by `${due}|${tenantId}|${userId}|${kind}`. */
  private readonly days = new Map<string, Map<string, RetentionEntry>>();
  private cursor: string | undefined;

  /** Every entry, in due-time order. */
  get entries(): RetentionEntry[] {
    return byKey([...this.days.values()].flatMap((day) => [...day])).map(([, e]) => ({ ...e }));
  }

  async scheduleRetention(entries: readonly RetentionEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // The cursor comes back to the earliest day (or starts there), so an entry due then is not skipped.
    const earliest = entries.map((e) => e.due.slice(0, 10)).sort()[0] ?? "";
    if (this.cursor === undefined || this.cursor > earliest) this.cursor = earliest;
    for (const e of entries) {
      const day = e.due.slice(0, 10);
      const rows = this.days.get(day) ?? new Map<string, RetentionEntry>();
      rows.set(retentionKey(e), { tenantId: e.tenantId, userId: e.userId, kind: e.kind, due: e.due });
      this.days.set(day, rows);
    }
  }
  async listDueRetention(day: string, now: string, top: number): Promise<RetentionEntry[]> {
    const upTo = `${now}|~`;
    return byKey(this.days.get(day) ?? [])
      .filter(([key]) => key < upTo)
      .slice(0, top)
      .map(([, e]) => ({ ...e }));
  }
  async removeRetention(entry: RetentionEntry): Promise<void> {
    this.days.get(entry.due.slice(0, 10))?.delete(retentionKey(entry));
  }
  async getRetentionCursor(): Promise<string | undefined> {
    return this.cursor;
  }
  async advanceRetentionCursor(day: string): Promise<void> {
    if (this.cursor === undefined || this.cursor < day) this.cursor = day;
  }
}

/** Larger than any millisecond time before the year 2286: newer rows sort first. */
const timeCeiling = 9_999_999_999_999;

/** Rejected events per partition, newest first; a redelivery replaces its row (RejectedEventStore). */
export class InMemoryRejectedEvents implements RejectedEventsPort {
  private readonly partitions = new Map<string, Map<string, RejectedEvent>>();

  async put(partition: string, messageId: string, record: Omit<RejectedEvent, "id">): Promise<RejectedEvent> {
    const key = `${String(timeCeiling - Date.parse(record.enqueuedAt)).padStart(13, "0")}|${encodeURIComponent(messageId)}`;
    const hex = createHash("sha256").update(`${partition}|rejected|${key}`).digest("hex");
    const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
    const stored: RejectedEvent = { id, ...record };
    const rows = this.partitions.get(partition) ?? new Map<string, RejectedEvent>();
    rows.set(key, copy(stored));
    this.partitions.set(partition, rows);
    return stored;
  }
  async list(
    partition: string,
    options: { top: number; continuation?: string },
  ): Promise<Page<RejectedEvent>> {
    return pageOf(byKey(this.partitions.get(partition) ?? []), options.top, options.continuation);
  }
}

/** The watchdog's index, oldest job first (UnfinishedJobs). */
export class InMemoryUnfinishedJobs implements UnfinishedJobsPort {
  private readonly rows = new Map<string, UnfinishedJob>();
  private readonly keyOf = (job: UnfinishedJob) => `${job.createdAt}|${job.tenantId}|${job.jobId}`;

  async add(job: UnfinishedJob): Promise<void> {
    this.rows.set(this.keyOf(job), { ...job });
  }
  async list(limit: number): Promise<UnfinishedJob[]> {
    return byKey(this.rows)
      .slice(0, limit)
      .map(([, job]) => ({ ...job }));
  }
  async remove(job: UnfinishedJob): Promise<void> {
    this.rows.delete(this.keyOf(job));
  }
}

const quietLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** What `inMemoryDeps` answers: a process's deps and the storage behind them. */
export interface InMemoryWorld {
  deps: Deps;
  records: InMemoryTenantRecords;
  retention: InMemoryRetentionIndex;
  outboxStore: InMemoryOutboxStore;
  rejectedEvents: InMemoryRejectedEvents;
  unfinishedJobs: InMemoryUnfinishedJobs;
  published: CloudEvent[];
}

/** Deps on in-memory ports; the events the outbox sends land in `published`. */
export function inMemoryDeps(clock: Clock): InMemoryWorld {
  const records = new InMemoryTenantRecords();
  return processOn(clock, {
    records,
    outboxStore: new InMemoryOutboxStore(records),
    retention: new InMemoryRetentionIndex(),
    rejectedEvents: new InMemoryRejectedEvents(),
    unfinishedJobs: new InMemoryUnfinishedJobs(),
    published: [],
  });
}

/**
 * A second instance of the app on the same storage as `first`: its own caches, locks, outbox and
 * ids (as on Azure when it scales out), the same rows.
 */
export function anotherProcess(first: InMemoryWorld, clock: Clock): InMemoryWorld {
  return processOn(clock, { ...first, records: first.records.anotherProcess() }, "9");
}

function processOn(clock: Clock, storage: Omit<InMemoryWorld, "deps">, idSpace = "8"): InMemoryWorld {
  const { records, outboxStore, retention, rejectedEvents, unfinishedJobs, published } = storage;
  const publisher: EventPublisher = {
    publish: async (events) => {
      published.push(...copy(events));
    },
  };
  let ids = 0;
  const adapters: Omit<Deps, "provisioning"> = {
    store: records,
    retention,
    clock,
    newId: () => `00000000-0000-4000-${idSpace}000-${String(++ids).padStart(12, "0")}`,
    tenantLock: new KeyedLock(),
    logger: quietLogger,
    outbox: new Outbox(records, outboxStore, publisher, clock, quietLogger),
    outboxStore,
    rejectedEvents,
    retentionPeriodMs: 30 * 86_400_000,
    unfinishedJobs,
    chunkPolicy: { timeoutMs: 60_000, maxResends: 3 },
  };
  // As shared/composition.ts wires it, handing each request over at once (a batch of one).
  const deps: Deps = { ...adapters, provisioning: createProvisioningBatcher(adapters, 1) };
  return { ...storage, deps };
}
