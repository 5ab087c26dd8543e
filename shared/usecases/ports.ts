// The ports: what the use cases need from storage, in the use cases' own terms. The Table Storage
// adapters in shared/storage implement them (shared/composition.ts wires them in); a test can
// hand a use case small in-memory fakes instead. Nothing here knows of tables, keys or ETags beyond
// "a version to write against".
import type { RejectionCode } from "../domain/event-rejected.js";
import type { CloudEvent } from "../domain/events.js";
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
import type { RetentionEntry } from "../domain/retention.js";

/** Someone else wrote first (a stale version, an existing key, a vanished record): re-read and retry. */
export class ConcurrencyConflict extends Error {
  override readonly name = "ConcurrencyConflict";
}

/** A record with the version (ETag) a conditional write must match. */
export interface Versioned<T> {
  readonly value: T;
  readonly etag: string;
}

/** What a caller's If-Match asks for: any existing version (`*`), or one of the versions they read. */
export type IfMatch = "*" | readonly string[];

/** Options of a write that honours If-Match. */
export interface PreconditionOption {
  readonly ifMatch?: IfMatch | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. */
  readonly continuation?: string;
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
  | { readonly kind: "outbox"; readonly row: OutboxRow }
  | { readonly kind: "releaseUserPrincipalName"; readonly userPrincipalName: string }
  | { readonly kind: "createJob"; readonly job: BulkJob }
  | { readonly kind: "putChunk"; readonly chunk: BulkChunk; readonly etag?: string }
  | { readonly kind: "createGroup"; readonly group: Group }
  | { readonly kind: "updateGroup"; readonly group: Group; readonly etag: string }
  /** Unconditional (a transaction's delete takes no ETag); a group already gone conflicts. */
  | { readonly kind: "deleteGroup"; readonly groupId: string }
  /** The membership and its reverse index row (memberOf), created together: an existing one conflicts. */
  | { readonly kind: "addMember"; readonly groupId: string; readonly userId: string }
  | { readonly kind: "removeMember"; readonly groupId: string; readonly userId: string }
  /** The tenant's organisation record: created without an ETag, replaced under one. */
  | { readonly kind: "putOrganization"; readonly organization: Organization; readonly etag?: string }
  /** A member whose group's licenses are held back, or no longer. */
  | { readonly kind: "putLicenseError"; readonly entry: MemberLicenseError }
  | { readonly kind: "removeLicenseError"; readonly groupId: string; readonly userId: string }
  | {
      readonly kind: "createIdempotencyKey";
      readonly keyHash: string;
      readonly jobId: string;
      readonly requestHash: string;
    };

/** How far one chunk of a job is. */
export interface ChunkProgress {
  readonly processed: number;
  readonly failed: number;
  readonly completedAt?: string;
}

/** A member of a group whose licenses the member could not be given: why, and since when. */
export interface MemberLicenseError {
  readonly groupId: string;
  readonly userId: string;
  readonly error: import("../domain/license-sources.js").LicenseAssignmentError;
  readonly skuIds: readonly string[];
  readonly since: string;
}

/** The new version (ETag) of each versioned record a commit wrote, keyed by the write that wrote it. */
export type WrittenVersions = ReadonlyMap<TenantWrite, string>;

/**
 * Events committed together, kept in one outbox row (its id is its first event's): a transaction
 * that emits an event per user pays one action for all of them, not one each.
 */
export interface OutboxRow {
  readonly id: string;
  readonly events: readonly CloudEvent[];
}

/** Room for events in one outbox row: well under an entity's 1 MiB, in characters of JSON. */
const outboxRowChars = 256_000;

/** A commit's events as outbox rows, in order: as many to a row as fit it. */
export function outboxRows(events: readonly CloudEvent[]): OutboxRow[] {
  const rows: CloudEvent[][] = [];
  let size = Number.POSITIVE_INFINITY;
  for (const event of events) {
    const chars = JSON.stringify(event).length;
    const last = rows.at(-1);
    if (last && size + chars <= outboxRowChars) {
      last.push(event);
      size += chars;
    } else {
      rows.push([event]);
      size = chars;
    }
  }
  return rows.map((row) => ({ id: row[0]?.id ?? "", events: row }));
}

/** A commit takes at most 100 actions (an entity-group transaction's limit). */
export const maxActionsPerCommit = 100;

/** How many actions each write takes: a new user also reserves their sign-in name. */
export const actionsPerWrite: { readonly [K in TenantWrite["kind"]]: number } = {
  createUser: 2,
  updateUser: 1,
  putLedger: 1,
  putSubscription: 1,
  addHolder: 1,
  removeHolder: 1,
  audit: 1,
  outbox: 1,
  releaseUserPrincipalName: 1,
  createJob: 1,
  putChunk: 1,
  createIdempotencyKey: 1,
  createGroup: 1,
  updateGroup: 1,
  deleteGroup: 1,
  addMember: 2,
  removeMember: 2,
  putOrganization: 1,
  putLicenseError: 1,
  removeLicenseError: 1,
};

/** How many actions a commit of `writes` takes (at most `maxActionsPerCommit` fit one). */
export function actionCount(writes: readonly TenantWrite[]): number {
  return writes.reduce((count, write) => count + actionsPerWrite[write.kind], 0);
}

/** How many actions a commit of `writes` with `events` through the outbox takes. */
export const actionCountWithEvents = (
  writes: readonly TenantWrite[],
  events: readonly CloudEvent[],
): number => actionCount(writes) + outboxRows(events).length;

/** Reads that may be answered from this process's last copy (first tries only; a stale copy fails its write). */
export interface CacheOption {
  readonly cached?: boolean;
}

/** A user property whose beginning a listing can match, case-insensitively. */
export type UserPrefixProperty = "displayName" | "userPrincipalName";

/** Which users of a tenant a listing or count takes: every condition given holds. */
export interface UserFilter {
  readonly licensed?: boolean;
  readonly needsLicense?: boolean;
  readonly deleted?: boolean;
  readonly userType?: "Member" | "Guest";
  /** The property starts with the prefix, compared case-insensitively (lower-cased). */
  readonly prefixes?: readonly { readonly property: UserPrefixProperty; readonly prefix: string }[];
}

/** Which users of a tenant `listUsers` lists, a page at a time. */
export interface UserListOptions extends UserFilter {
  readonly top: number;
  readonly continuation?: string;
}

/** Which groups of a tenant `listGroups` lists, a page at a time. */
export interface GroupListOptions {
  /** The displayName starts with it, compared case-insensitively. */
  readonly displayNamePrefix?: string;
  readonly top: number;
  readonly continuation?: string;
}

/** A page of ids (members of a group, groups of a member), in key order. */
export interface IdPageOptions {
  readonly top: number;
  readonly continuation?: string;
}

/** One tenant's records, and the transaction that changes them together. */

export interface TenantRecordsPort {
  getUser(tenantId: string, userId: string, options?: CacheOption): Promise<Versioned<User> | undefined>;
  /** Many users at once; a missing one maps to undefined. */
  getUsers(tenantId: string, userIds: readonly string[]): Promise<Map<string, Versioned<User> | undefined>>;
  /** A user as this process last read or wrote them, if it still holds that copy. */
  cachedUser(tenantId: string, userId: string): Versioned<User> | undefined;
  isUserPrincipalNameTaken(tenantId: string, userPrincipalName: string): Promise<boolean>;
  /** The id of the user holding a sign-in name (any case), from its reservation: one point read. */
  findUserIdByPrincipalName(tenantId: string, userPrincipalName: string): Promise<string | undefined>;
  listUsers(tenantId: string, options: UserListOptions): Promise<Page<User>>;
  /** Ids of every user the filter takes (a key-only scan; purged users are left out). */
  listUserIds(tenantId: string, filter: UserFilter): Promise<Set<string>>;
  /**
   * Every user the filter takes, by id, with the property lower-cased, for an ordered listing
   * (a scan of the keys and that one column; purged users are left out).
   */
  listUserSortKeys(
    tenantId: string,
    filter: UserFilter,
    property: UserPrefixProperty,
  ): Promise<Map<string, string>>;
  /** Every active user id of the tenant. */
  listActiveUserIds(tenantId: string): Promise<Set<string>>;
  /** Ids of the users holding a product, a page at a time. */
  listHolderIds(
    tenantId: string,
    skuId: string,
    options: { top: number; continuation?: string },
  ): Promise<Page<string>>;
  listAllHolderIds(tenantId: string, skuId: string): Promise<Set<string>>;
  getLedger(
    tenantId: string,
    skuId: string,
    options?: CacheOption,
  ): Promise<Versioned<SeatLedger> | undefined>;
  listLedgers(tenantId: string): Promise<SeatLedger[]>;
  getSubscription(tenantId: string, id: string): Promise<Versioned<Subscription> | undefined>;
  listSubscriptions(tenantId: string): Promise<Subscription[]>;
  listAudit(tenantId: string): Promise<AuditRecord[]>;
  getJob(tenantId: string, jobId: string): Promise<BulkJob | undefined>;
  /** Every job of the tenant, in no particular order (one range read of the job rows). */
  listJobs(tenantId: string): Promise<BulkJob[]>;
  getChunk(tenantId: string, jobId: string, index: number): Promise<Versioned<BulkChunk> | undefined>;
  /** All chunks of a job, in order. */
  listChunks(tenantId: string, jobId: string): Promise<BulkChunk[]>;
  /** How far each chunk of a job is, without its users and results (one per chunk, any order). */
  listChunkProgress(tenantId: string, job: Pick<BulkJob, "id" | "chunkCount">): Promise<ChunkProgress[]>;
  getIdempotencyKey(
    tenantId: string,
    keyHash: string,
  ): Promise<{ jobId: string; requestHash: string } | undefined>;
  getGroup(tenantId: string, groupId: string): Promise<Versioned<Group> | undefined>;
  listGroups(tenantId: string, options: GroupListOptions): Promise<Page<Group>>;
  /** How many groups a listing with the same prefix takes (a key-only scan). */
  countGroups(tenantId: string, options: { readonly displayNamePrefix?: string }): Promise<number>;
  isMember(tenantId: string, groupId: string, userId: string): Promise<boolean>;
  /** Ids of every member of a group, in key order (one range read, all its pages). */
  listAllMemberIds(tenantId: string, groupId: string): Promise<string[]>;
  /** Ids of a group's members, a page at a time (one range read). */
  listMemberIds(tenantId: string, groupId: string, options: IdPageOptions): Promise<Page<string>>;
  /** Members whose licenses from a group are held back; every group's when no group is named. */
  listLicenseErrors(tenantId: string, groupId?: string): Promise<MemberLicenseError[]>;
  /** Ids of the groups a user is a member of, a page at a time (one range read of the reverse index). */
  listMemberOfIds(tenantId: string, userId: string, options: IdPageOptions): Promise<Page<string>>;
  /**
   * The tenant's organisation record (its default usage location), undefined while it has none.
   * `cached` may answer this process's last copy: a license decision per round can afford it, as
   * the record rarely changes; a write under its version re-reads.
   */
  getOrganization(tenantId: string, options?: CacheOption): Promise<Versioned<Organization> | undefined>;
  /**
   * Commits the writes all-or-nothing. A stale ETag, an existing key on create or a vanished record
   * throws ConcurrencyConflict: the caller re-reads and decides again. Answers the new versions.
   */
  commit(tenantId: string, writes: readonly TenantWrite[]): Promise<WrittenVersions>;
}

/** "Tenant T may have unsent events from the time bucket starting at B". */
export interface PendingMarker {
  readonly tenantId: string;
  readonly bucket: string;
  readonly etag: string;
}

/** The outbox rows a commit wrote (kind "outbox"), and the markers saying which tenants to sweep. */
export interface OutboxStorePort {
  /** Rows of events committed but not yet known to be sent, oldest first. */
  listOutbox(tenantId: string): Promise<OutboxRow[]>;
  /** Forgets rows whose events were sent, by row id; one already gone is fine. */
  deleteOutbox(tenantId: string, rowIds: readonly string[]): Promise<void>;
  markPending(tenantId: string, bucket: string): Promise<void>;
  /** Markers of buckets that started before `before`, oldest first, at most `limit`. */
  listPending(before: string, limit: number): Promise<PendingMarker[]>;
  /** Removes a marker unless it was written again since it was listed. */
  clearPending(marker: PendingMarker): Promise<void>;
}

/** Retention entries by due day, and the cursor of the oldest day that may still hold some. */
export interface RetentionIndexPort {
  /** Indexes entries (before the commit that retains the data; a stale entry is dropped by the sweep). */
  scheduleRetention(entries: readonly RetentionEntry[]): Promise<void>;
  /** Up to `top` entries of `day` due by `now`, oldest first. */
  listDueRetention(day: string, now: string, top: number): Promise<RetentionEntry[]>;
  /** One already gone is fine. */
  removeRetention(entry: RetentionEntry): Promise<void>;
  getRetentionCursor(): Promise<string | undefined>;
  /** Moves the cursor forward only: two sweeps racing never move it back. */
  advanceRetentionCursor(day: string): Promise<void>;
}

export interface RejectedEvent {
  /** Stable across redeliveries of one message: derived from its messageId and enqueued time. */
  readonly id: string;
  readonly eventId?: string;
  readonly type?: string;
  readonly source?: string;
  readonly subject?: string;
  readonly code: RejectionCode;
  readonly detail: string;
  readonly rejectedAt: string;
  readonly enqueuedAt: string;
  readonly deliveryCount: number;
}

/**
 * Where events naming no usable tenant are kept: read by operators, never by a tenant (tenant ids
 * are GUIDs, so this key cannot collide with one).
 */
export const systemRejectionPartition = "~rejected";

/** Queue events the worker rejected, by tenant (or `systemRejectionPartition`), newest first. */
export interface RejectedEventsPort {
  /** Writes the record; a redelivery of the same message replaces it instead of adding one. */
  put(partition: string, messageId: string, record: Omit<RejectedEvent, "id">): Promise<RejectedEvent>;
  list(partition: string, options: { top: number; continuation?: string }): Promise<Page<RejectedEvent>>;
}

export interface UnfinishedJob {
  readonly tenantId: string;
  readonly jobId: string;
  readonly createdAt: string;
}

/** The bulk jobs not known to be finished, across tenants, for the watchdog. */
export interface UnfinishedJobsPort {
  add(job: UnfinishedJob): Promise<void>;
  /** Up to `limit` entries, oldest first. */
  list(limit: number): Promise<UnfinishedJob[]>;
  /** One already gone is fine. */
  remove(job: UnfinishedJob): Promise<void>;
}
