// How one tenant's records look as Table Storage entities: their keys (every record of a tenant lives
// in one partition, PartitionKey = tenant id), their properties, and the table actions a TenantWrite
// becomes. Pure: no I/O.
import type { TableEntity, TransactionAction } from "@azure/data-tables";
import { chunkProgress } from "../domain/bulk.js";
import type { CloudEvent } from "../domain/events.js";
import type { LicenseSource, Membership } from "../domain/license-sources.js";
import type {
  AuditRecord,
  BulkChunk,
  BulkJob,
  Group,
  Organization,
  SeatLedger,
  Subscription,
  User,
  UserProfile,
} from "../domain/model.js";
import { needsLicense } from "../domain/provisioning.js";
import type { ChunkProgress, OutboxRow, TenantWrite } from "../usecases/ports.js";

export const key = {
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
  group: (id: string) => `group|${id}`,
  member: (groupId: string, userId: string) => `member|${groupId}|${userId}`,
  /** A member whose group's licenses are held back (why, since when): membersWithLicenseErrors. */
  licenseError: (groupId: string, userId: string) => `licerror|${groupId}|${userId}`,
  /** The reverse index of `member`: a user's groups are one range read. */
  memberOf: (userId: string, groupId: string) => `memberof|${userId}|${groupId}`,
  /** The tenant's one organisation record. */
  organization: "organization",
};

/** The stored lower-cased copy of each property a listing matches the beginning of. */
export const lowerCased = {
  displayName: "displayNameLower",
  userPrincipalName: "userPrincipalNameLower",
} as const;

/** An entity as read back: its properties untyped until mapped. */
export type Entity = Record<string, unknown> & { readonly rowKey?: string };
type NewEntity = TableEntity<Record<string, unknown>>;

export function str(entity: Entity, name: string): string {
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

function num(entity: Entity, name: string): number {
  const value = entity[name];
  if (typeof value !== "number") throw new Error(`stored entity ${String(entity.rowKey)} lacks ${name}`);
  return value;
}

/** The profile's text properties: each a column of its own, absent while not set. */
const profileTexts = [
  "givenName",
  "surname",
  "mail",
  "jobTitle",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
] as const satisfies readonly (keyof UserProfile)[];

/** Table Storage keeps no null: a property not set is left out, and so reads back as null (or []). */
function profileColumns(profile: UserProfile): Record<string, string> {
  const columns: Record<string, string> = {};
  for (const name of profileTexts) {
    const value = profile[name];
    if (value !== null) columns[name] = value;
  }
  if (profile.businessPhones.length > 0) columns.businessPhones = JSON.stringify(profile.businessPhones);
  return columns;
}

function textOrNull(entity: Entity, name: string): string | null {
  const value = entity[name];
  return typeof value === "string" ? value : null;
}

function profileFrom(entity: Entity): UserProfile {
  const texts = Object.fromEntries(profileTexts.map((name) => [name, textOrNull(entity, name)]));
  const phones = textOrNull(entity, "businessPhones");
  return { ...texts, businessPhones: phones === null ? [] : JSON.parse(phones) } as UserProfile;
}

function userEntity(tenantId: string, user: User): NewEntity {
  return {
    partitionKey: tenantId,
    rowKey: key.user(user.id),
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    accountEnabled: user.accountEnabled,
    ...(user.mailNickname === null ? {} : { mailNickname: user.mailNickname }),
    ...profileColumns(user.profile),
    ...(user.usageLocation === null ? {} : { usageLocation: user.usageLocation }),
    // Lower-cased copies for the server-side, case-insensitive startswith filters of GET /users.
    [lowerCased.userPrincipalName]: user.userPrincipalName.toLowerCase(),
    [lowerCased.displayName]: user.displayName.toLowerCase(),
    userType: user.userType,
    mailboxType: user.mailboxType,
    licenses: JSON.stringify(user.assignedLicenses),
    licenseCount: user.assignedLicenses.length,
    ...(user.licenseSources ? { licenseSources: JSON.stringify(user.licenseSources) } : {}),
    ...(user.memberOf && user.memberOf.length > 0 ? { memberOf: JSON.stringify(user.memberOf) } : {}),
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

export function userFrom(entity: Entity): User {
  const deletedAt = entity.deletedAt;
  return {
    id: str(entity, "rowKey").slice("user|".length),
    userPrincipalName: str(entity, "userPrincipalName"),
    displayName: str(entity, "displayName"),
    // A user stored before these were kept: enabled, no alias, nothing in the profile.
    accountEnabled: entity.accountEnabled !== false,
    mailNickname: textOrNull(entity, "mailNickname"),
    profile: profileFrom(entity),
    // A user stored before usage locations were kept has none.
    usageLocation: textOrNull(entity, "usageLocation"),
    userType: str(entity, "userType") as User["userType"],
    mailboxType: str(entity, "mailboxType") as User["mailboxType"],
    assignedLicenses: JSON.parse(str(entity, "licenses")) as User["assignedLicenses"],
    provisioning: JSON.parse(str(entity, "provisioning")) as User["provisioning"],
    litigationHold: entity.litigationHold === true,
    ...(typeof entity.retainedUntil === "string" ? { retainedUntil: entity.retainedUntil } : {}),
    ...(typeof entity.purgedAt === "string" ? { purgedAt: entity.purgedAt } : {}),
    createdAt: str(entity, "createdAt"),
    ...(typeof deletedAt === "string" ? { deletedAt } : {}),
    ...(typeof entity.licenseSources === "string"
      ? { licenseSources: JSON.parse(entity.licenseSources) as LicenseSource[] }
      : {}),
    ...(typeof entity.memberOf === "string" ? { memberOf: JSON.parse(entity.memberOf) as Membership[] } : {}),
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

function groupEntity(tenantId: string, group: Group): NewEntity {
  return {
    partitionKey: tenantId,
    rowKey: key.group(group.id),
    displayName: group.displayName,
    // For the server-side, case-insensitive startswith filter of GET /groups.
    [lowerCased.displayName]: group.displayName.toLowerCase(),
    mailNickname: group.mailNickname,
    ...(group.description === null ? {} : { description: group.description }),
    createdAt: group.createdAt,
    assignedLicenses: JSON.stringify(group.assignedLicenses),
    licenseVersion: group.licenseVersion,
    licensesReachGuests: group.licensesReachGuests,
    ...(group.licenseJobId ? { licenseJobId: group.licenseJobId } : {}),
  };
}

export function groupFrom(entity: Entity): Group {
  return {
    id: str(entity, "rowKey").slice("group|".length),
    displayName: str(entity, "displayName"),
    mailNickname: str(entity, "mailNickname"),
    description: textOrNull(entity, "description"),
    createdAt: str(entity, "createdAt"),
    assignedLicenses:
      typeof entity.assignedLicenses === "string"
        ? (JSON.parse(entity.assignedLicenses) as Group["assignedLicenses"])
        : [],
    licenseVersion: typeof entity.licenseVersion === "number" ? entity.licenseVersion : 0,
    licensesReachGuests: entity.licensesReachGuests === true,
    ...(typeof entity.licenseJobId === "string" ? { licenseJobId: entity.licenseJobId } : {}),
  };
}

function organizationEntity(tenantId: string, organization: Organization): NewEntity {
  return {
    partitionKey: tenantId,
    rowKey: key.organization,
    ...(organization.displayName === null ? {} : { displayName: organization.displayName }),
    ...(organization.countryLetterCode === null ? {} : { countryLetterCode: organization.countryLetterCode }),
    ...(organization.createdAt === null ? {} : { createdAt: organization.createdAt }),
  };
}

export function organizationFrom(entity: Entity): Organization {
  return {
    displayName: textOrNull(entity, "displayName"),
    countryLetterCode: textOrNull(entity, "countryLetterCode"),
    createdAt: textOrNull(entity, "createdAt"),
  };
}

function ledgerEntity(tenantId: string, ledger: SeatLedger): NewEntity {
  return { partitionKey: tenantId, rowKey: key.ledger(ledger.skuId), ...ledger };
}

export function ledgerFrom(entity: Entity): SeatLedger {
  const counts = Object.fromEntries(ledgerFields.map((field) => [field, num(entity, field)]));
  const waiting = typeof entity.waiting === "number" && entity.waiting > 0 ? { waiting: entity.waiting } : {};
  return { skuId: str(entity, "skuId"), ...counts, ...waiting } as SeatLedger;
}

function subscriptionEntity(tenantId: string, subscription: Subscription): NewEntity {
  return { partitionKey: tenantId, rowKey: key.subscription(subscription.id), ...subscription };
}

export function subscriptionFrom(entity: Entity): Subscription {
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

export function toActions(tenantId: string, write: TenantWrite): TransactionAction[] {
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
        // Progress readable without the chunk's users and results (a group's processing state).
        ...chunkProgress(write.chunk),
      };
      return write.etag ? [["update", entity, "Replace", { etag: write.etag }]] : [["create", entity]];
    }
    case "createGroup":
      return [["create", groupEntity(tenantId, write.group)]];
    case "updateGroup":
      return [["update", groupEntity(tenantId, write.group), "Replace", { etag: write.etag }]];
    case "putOrganization":
      return write.etag
        ? [["update", organizationEntity(tenantId, write.organization), "Replace", { etag: write.etag }]]
        : [["create", organizationEntity(tenantId, write.organization)]];
    case "deleteGroup":
      return [["delete", { partitionKey: tenantId, rowKey: key.group(write.groupId) }]];
    case "addMember":
      return [
        ["create", { partitionKey: tenantId, rowKey: key.member(write.groupId, write.userId) }],
        ["create", { partitionKey: tenantId, rowKey: key.memberOf(write.userId, write.groupId) }],
      ];
    case "removeMember":
      return [
        ["delete", { partitionKey: tenantId, rowKey: key.member(write.groupId, write.userId) }],
        ["delete", { partitionKey: tenantId, rowKey: key.memberOf(write.userId, write.groupId) }],
      ];
    case "putLicenseError":
      return [
        [
          "upsert",
          {
            partitionKey: tenantId,
            rowKey: key.licenseError(write.entry.groupId, write.entry.userId),
            error: write.entry.error,
            skuIds: JSON.stringify(write.entry.skuIds),
            since: write.entry.since,
          },
          "Replace",
        ],
      ];
    case "removeLicenseError":
      return [["delete", { partitionKey: tenantId, rowKey: key.licenseError(write.groupId, write.userId) }]];
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
            rowKey: key.outbox(write.row.id),
            ...packJson("events", write.row.events),
            at: write.row.events[0]?.time ?? "",
          },
        ],
      ];
  }
}

export function auditFrom(entity: Entity): AuditRecord {
  return {
    id: str(entity, "rowKey").split("|")[2] ?? "",
    at: str(entity, "at"),
    actorId: str(entity, "actorId"),
    action: str(entity, "action"),
    target: str(entity, "target"),
    before: unpackJson(entity, "before"),
    after: unpackJson(entity, "after"),
  };
}

export const jobFrom = (entity: Entity): BulkJob => JSON.parse(str(entity, "job")) as BulkJob;

export const chunkFrom = (entity: Entity): BulkChunk => unpackJson(entity, "chunk") as BulkChunk;

/** An outbox row; one written before rows held several events holds its one event as `event`. */
export function outboxRowFrom(entity: Entity): OutboxRow {
  const id = str(entity, "rowKey").slice(key.outbox("").length);
  const events =
    typeof entity.events === "string"
      ? (unpackJson(entity, "events") as CloudEvent[])
      : [JSON.parse(str(entity, "event")) as CloudEvent];
  return { id, events };
}

/** A chunk's progress from its counting columns, or, for a row stored before them, its packed chunk. */
export function chunkProgressFrom(entity: Entity): ChunkProgress {
  if (typeof entity.processed === "number" && typeof entity.failed === "number") {
    return {
      processed: entity.processed,
      failed: entity.failed,
      ...(typeof entity.completedAt === "string" ? { completedAt: entity.completedAt } : {}),
    };
  }
  return chunkProgress(chunkFrom(entity));
}
