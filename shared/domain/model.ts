// The licensing records as plain data (R1–R9): users and their licenses, subscriptions, seat ledgers.

export type UserType = "Member" | "Guest";
export type MailboxType = "User" | "Shared" | "Room" | "Resource";
export type SubscriptionStatus = "Enabled" | "Warning" | "Suspended" | "LockedOut";
export type PurchaseChannel = "Admin" | "SelfService";
/** Graph's provisioningStatus of one service plan of a user's license. */
export type ProvisioningStatus = "Success" | "PendingProvisioning" | "Disabled" | "Error";

export interface AssignedLicense {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
  readonly assignedAt: string;
  /** Set when the user bought the license through a self-service subscription (R6). */
  readonly viaSubscriptionId?: string;
  /** Provisioning state of each enabled plan; a plan missing here is pending. */
  readonly planStatus: Readonly<Record<string, Exclude<ProvisioningStatus, "Disabled">>>;
}

export type MailboxState = "None" | "Active" | "Retained" | "Inactive" | "Purged";

export interface Mailbox {
  readonly state: MailboxState;
  /** Identifies the mailbox's contents: the same id after a restore means the data survived. */
  readonly dataId?: string;
  /** While Retained (or a deleted user's data is kept): when it is purged for good (R18, R20). */
  readonly retainedUntil?: string;
  readonly sizeGB: number;
  /** The product whose plan provides the mailbox: decides whether it may become inactive (R19). */
  readonly providedBy?: string;
}

export interface OfficeInstall {
  readonly id: string;
  readonly deviceName: string;
  readonly platform: "Windows" | "Mac";
  readonly installedAt: string;
}

/** What the provisioning worker has applied for a user (R17–R19, R21). */
export interface UserProvisioning {
  readonly mailbox: Mailbox;
  /** Edit permission on the tenant's default team site (SharePoint Online). */
  readonly teamSitePermission: "None" | "Edit";
  readonly skypeForBusiness: boolean;
  readonly teams: boolean;
  /** May install Office apps (up to five devices). */
  readonly officeApps: boolean;
  readonly officeInstalls: readonly OfficeInstall[];
  /** OneDrive / SharePoint documents: kept on unassignment, purged only with a deleted user (R18). */
  readonly documents: "None" | "Kept" | "Purged";
}

/**
 * Graph's default profile properties of a user: each null when not set, businessPhones empty. The
 * service only keeps them; no rule of licensing reads them.
 */
export interface UserProfile {
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly mail: string | null;
  readonly jobTitle: string | null;
  readonly mobilePhone: string | null;
  readonly officeLocation: string | null;
  readonly preferredLanguage: string | null;
  readonly businessPhones: readonly string[];
}

/** Why a group's licenses were not given to one member (Graph's licenseAssignmentState.error). */
export type LicenseAssignmentError =
  | "CountViolation"
  | "MutuallyExclusiveViolation"
  | "DependencyViolation"
  | "ProhibitedInUsageLocationViolation"
  | "UniquenessViolation"
  | "Other";

/** One product from one source: a direct assignment (groupId null) or a group's. */
export interface LicenseSource {
  readonly skuId: string;
  readonly groupId: string | null;
  readonly disabledPlans: readonly string[];
  /** Null when given; else why it is not (only a group's entry can be held back). */
  readonly error: LicenseAssignmentError | null;
  /** When the entry last changed; for an entry in error, since when it has been waiting. */
  readonly updatedAt: string;
}

/** A group the user is a member of, and the version of its licenses last applied to them. */
export interface Membership {
  readonly groupId: string;
  readonly licenseVersion: number;
}

export interface User {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName: string;
  /** False: the user is blocked from signing in, and keeps their licenses. */
  readonly accountEnabled: boolean;
  /** The mail alias; null for a user stored before the service kept it. */
  readonly mailNickname: string | null;
  readonly profile: UserProfile;
  /**
   * Where the user uses their licenses: an ISO 3166-1 alpha-2 code (upper case), or null when not
   * set. Some service plans are sold only in some countries (catalog's `availableIn`).
   */
  readonly usageLocation: string | null;
  readonly userType: UserType;
  readonly mailboxType: MailboxType;
  readonly assignedLicenses: readonly AssignedLicense[];
  readonly provisioning: UserProvisioning;
  /** A litigation hold: an enterprise mailbox becomes inactive instead of being purged (R19). */
  readonly litigationHold: boolean;
  readonly createdAt: string;
  readonly deletedAt?: string;
  /** A deleted user can be restored until then (R20). */
  readonly retainedUntil?: string;
  /** When the deleted user's data was purged for good; the record stays as a tombstone. */
  readonly purgedAt?: string;
  /**
   * Where each license comes from, directly or from a group, given or held back (issue 19).
   * Absent: every license held is assigned directly.
   */
  readonly licenseSources?: readonly LicenseSource[];
  /** The groups the user is a member of: the truth a group's licenses are given on. */
  readonly memberOf?: readonly Membership[];
}

export interface Subscription {
  readonly id: string;
  readonly skuId: string;
  readonly seats: number;
  readonly status: SubscriptionStatus;
  readonly purchaseChannel: PurchaseChannel;
  readonly createdAt: string;
  /** Seats of this subscription held by the users who bought it themselves (R6). */
  readonly selfServiceConsumed: number;
}

/**
 * Per-product seat counts of one tenant, kept in step with every subscription and assignment in the
 * same atomic write. Invariant: consumed − consumedSelfService ≤ enabledAdmin and
 * consumedSelfService ≤ enabledSelfService, so assigned never exceeds enabled.
 */
export interface SeatLedger {
  readonly skuId: string;
  /** Seats of Enabled admin-bought subscriptions. */
  readonly enabledAdmin: number;
  /** Seats of Enabled self-service subscriptions not yet taken over. */
  readonly enabledSelfService: number;
  readonly warning: number;
  readonly suspended: number;
  readonly lockedOut: number;
  /** Every assigned seat of the product. */
  readonly consumed: number;
  /** The part of `consumed` held through self-service subscriptions. */
  readonly consumedSelfService: number;
  /** Group entries of the product waiting for a seat (CountViolation): freed seats go to them. */
  readonly waiting?: number;
}

/** The caller of a use case, from a verified token. */
export interface Actor {
  readonly tenantId: string;
  readonly objectId: string;
  readonly roles: readonly import("./roles.js").Role[];
}

/** One line of the audit log: who changed what, when, and the record before and after. */
export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actorId: string;
  readonly action: string;
  /** What changed, e.g. `user/<id>` or `subscription/<id>`. */
  readonly target: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** A bulk job (R10): its request; its progress lives in its chunks. */
export interface BulkJob {
  readonly id: string;
  /** "inherit": a group's licenses given to its members (issue 19). */
  readonly operation: "add" | "replace" | "remove" | "removeAll" | "inherit";
  readonly licenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  readonly allowPartial: boolean;
  readonly total: number;
  readonly chunkCount: number;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Whether its creator may license guests (R13): chunks act with the creator's rights. */
  readonly mayLicenseGuests: boolean;
  /** The job whose failed users this one retries. */
  readonly retryOf?: string;
  /** For "inherit": the group and the version of its licenses the job gives. */
  readonly group?: { readonly id: string; readonly version: number };
}

export interface JobResult {
  readonly userId: string;
  readonly outcome: "Succeeded" | "Failed";
  readonly code?: string;
  readonly detail?: string;
}

/** A slice of a job's users, processed by one queue message, exactly once: its ETag guards progress. */
export interface BulkChunk {
  readonly jobId: string;
  readonly index: number;
  readonly userIds: readonly string[];
  readonly results: readonly JobResult[];
  readonly completedAt?: string;
  /** When the chunk was last sent or made progress: the watchdog's clock starts there. */
  readonly updatedAt?: string;
  /** How many times the watchdog sent the chunk again after it stalled. */
  readonly resends?: number;
}

/** A security group (issue 19): users are its members, never other groups. */
export interface Group {
  readonly id: string;
  readonly displayName: string;
  readonly mailNickname: string;
  readonly description: string | null;
  readonly createdAt: string;
  /** The licenses its members inherit. */
  readonly assignedLicenses: readonly { readonly skuId: string; readonly disabledPlans: readonly string[] }[];
  /** Grows with every change of its licenses: a member never goes back to an older one. */
  readonly licenseVersion: number;
  /** Whether whoever put the licenses on may license guests (R13): guest members inherit only then. */
  readonly licensesReachGuests: boolean;
  /** The job giving the current licenses to the members. */
  readonly licenseJobId?: string;
}

/**
 * The tenant's organisation record, as Graph's `organization`: its name and default country. New
 * users without a usageLocation get `countryLetterCode`.
 */
export interface Organization {
  readonly displayName: string | null;
  /** The default usage location: an ISO 3166-1 alpha-2 code, or null when the tenant has none. */
  readonly countryLetterCode: string | null;
  /** When the record was first written; null while the tenant has none. */
  readonly createdAt: string | null;
}
