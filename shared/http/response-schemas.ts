// Response shapes of the public API, as the OpenAPI document shows them: the representations
// (representations.ts) are typed by them, and the tests validate every response against them.
import { z } from "zod";

const guid = z.guid();

const odataContext = z.url().meta({
  description: "Graph's OData context: <origin>/<api or v1.0>/$metadata#<entity set>",
});

/**
 * One entity answered alone, as Graph answers it: its members and an `@odata.context` ending in
 * `/$entity` (`…/$metadata#users/$entity`). Items of a collection carry none.
 */
const alone = <T extends z.ZodObject>(entity: T, id: string) =>
  entity
    .extend({
      "@odata.context": z.url().meta({
        description:
          "Graph's OData context: <origin>/<api or v1.0>/$metadata#<entity set>[(<$select>)]/$entity",
      }),
    })
    .meta({ id });

/** Graph's target class: every product and plan here is assigned to users. */
const appliesTo = z
  .literal("User")
  .meta({ description: "Graph's target class: licenses here are assigned to users" });
/** Graph's capabilityStatus values, in the order a subscription that is not renewed goes through. */
const capabilityStatus = z.enum(["Enabled", "Warning", "Suspended", "Deleted", "LockedOut"]);

const servicePlanInfo = z.object({
  servicePlanId: guid,
  servicePlanName: z.string(),
  provisioningKind: z.enum(["mailbox", "sharePoint", "skypeForBusiness", "teams", "officeApps", "other"]),
  appliesTo,
});

export const skuResponse = z
  .object({
    skuId: guid,
    skuPartNumber: z.string(),
    displayName: z.string(),
    servicePlans: z.array(servicePlanInfo),
  })
  .meta({ id: "Sku" });

export const subscribedSkuResponse = skuResponse
  .extend({
    servicePlans: z.array(
      servicePlanInfo.extend({
        provisioningStatus: z.enum(["Success", "Disabled"]).meta({
          description:
            "Success while the product's capabilityStatus is Enabled or Warning; Disabled once Suspended or LockedOut",
        }),
      }),
    ),
    id: z
      .string()
      .regex(/^[0-9a-fA-F-]{36}_[0-9a-fA-F-]{36}$/)
      .meta({ description: "Graph's id: {tenantId}_{skuId}; GET subscribedSkus/{id} takes it as the key" }),
    accountId: guid.meta({ description: "The tenant's id" }),
    accountName: z.string().meta({
      description:
        "The tenant's account name in Graph; this service keeps no tenant names, so it is the tenant's id",
    }),
    appliesTo,
    capabilityStatus: capabilityStatus.exclude(["Deleted"]).meta({
      description:
        "Enabled while at least one prepaid unit is enabled; else Warning, Suspended or LockedOut after the units left",
    }),
    subscriptionIds: z.array(guid).meta({ description: "The product's subscriptions (GET /subscriptions)" }),
    prepaidUnits: z.object({
      enabled: z.number().int().meta({
        description:
          "Seats of enabled admin-managed subscriptions (self-service seats are in selfServiceUnits)",
      }),
      warning: z.number().int(),
      suspended: z.number().int(),
      lockedOut: z.number().int(),
    }),
    consumedUnits: z.number().int().meta({ description: "Licenses assigned from admin-managed seats" }),
    availableUnits: z.number().int().meta({
      description: "Seats an administrator can assign: prepaidUnits.enabled − consumedUnits",
    }),
    selfServiceUnits: z.object({ enabled: z.number().int(), consumed: z.number().int() }).meta({
      description:
        "Seats of self-service subscriptions not yet taken over, and how many their buyers use; an administrator cannot assign them (R6)",
    }),
  })
  .meta({ id: "SubscribedSku" });

export const subscribedSkuEntity = alone(subscribedSkuResponse, "SubscribedSkuEntity");

export const subscriptionResponse = z
  .object({
    id: guid,
    skuId: guid,
    // As Microsoft Graph's companySubscription: the product's name beside its id.
    skuPartNumber: z.string(),
    seats: z.number().int(),
    status: z.enum(["Enabled", "Warning", "Suspended", "LockedOut"]),
    purchaseChannel: z.enum(["Admin", "SelfService"]),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: "Subscription" });

export const subscriptionEntity = alone(subscriptionResponse, "SubscriptionEntity");

export const userResponse = z
  .object({
    id: guid,
    userPrincipalName: z.string(),
    displayName: z.string(),
    accountEnabled: z.boolean().meta({ description: "false: blocked from signing in; licenses are kept" }),
    mailNickname: z
      .string()
      .nullable()
      .meta({ description: "The mail alias; null for a user made before it was kept" }),
    // Graph's default profile properties: null when not set, businessPhones empty.
    businessPhones: z.array(z.string()),
    givenName: z.string().nullable(),
    surname: z.string().nullable(),
    mail: z.string().nullable(),
    jobTitle: z.string().nullable(),
    mobilePhone: z.string().nullable(),
    officeLocation: z.string().nullable(),
    preferredLanguage: z.string().nullable(),
    usageLocation: z.string().length(2).nullable().meta({
      description:
        "Where the user uses their licenses: ISO 3166-1 alpha-2 (e.g. SE); null when not set. Some service plans are sold only in some countries",
    }),
    userType: z.enum(["Member", "Guest"]),
    mailboxType: z.enum(["User", "Shared", "Room", "Resource"]),
    assignedLicenses: z.array(z.object({ skuId: guid, disabledPlans: z.array(guid) })),
    assignedPlans: z
      .array(
        z.object({
          assignedDateTime: z.iso.datetime(),
          capabilityStatus: capabilityStatus.meta({
            description: "Enabled, or Deleted for a plan the license switches off (disabledPlans)",
          }),
          service: z.string().meta({ description: "The workload, e.g. exchange, SharePoint, TeamspaceAPI" }),
          servicePlanId: guid,
        }),
      )
      .meta({ description: "Graph's assignedPlans: every service plan of every license" }),
    licenseAssignmentStates: z.array(
      z.object({
        skuId: guid,
        disabledPlans: z.array(guid),
        state: z.enum(["Active", "ActiveWithError", "Disabled", "Error"]).meta({
          description:
            "Active: given; Error: a group's license held back; ActiveWithError: held back, but the user holds the product through another source",
        }),
        error: z
          .enum([
            "None",
            "CountViolation",
            "MutuallyExclusiveViolation",
            "DependencyViolation",
            "ProhibitedInUsageLocationViolation",
            "UniquenessViolation",
            "Other",
          ])
          .meta({ description: "None when given; why a group's license is held back otherwise" }),
        assignedByGroup: guid
          .nullable()
          .meta({ description: "The group the license is inherited from; null when assigned directly" }),
        lastUpdatedDateTime: z.iso.datetime(),
      }),
    ),
    createdDateTime: z.iso.datetime(),
    litigationHold: z.boolean(),
    deletedDateTime: z.iso.datetime().optional(),
    retainedUntil: z.iso.datetime().optional(),
  })
  .meta({ id: "User" });

/** A user with only the properties `$select` named, and `id` always. */
export const selectedUserResponse = userResponse
  .partial()
  .required({ id: true })
  .meta({ id: "UserSelection", description: "A User with only the properties $select named; id always" });

/** A user, whole or as `$select` chose. */
export const userOrSelection = z.union([userResponse, selectedUserResponse]);

export const userEntity = alone(userResponse, "UserEntity");

/** One user, whole or as `$select` chose, answered alone. */
export const userOrSelectionEntity = z.union([
  userEntity,
  alone(selectedUserResponse, "UserSelectionEntity"),
]);

export const rejectedEventResponse = z
  .object({
    id: guid,
    eventId: z.string().optional(),
    type: z.string().optional(),
    source: z.string().optional(),
    subject: z.string().optional(),
    code: z.string(),
    detail: z.string(),
    rejectedAt: z.iso.datetime(),
    enqueuedAt: z.iso.datetime(),
    deliveryCount: z.number().int(),
  })
  .meta({ id: "RejectedEvent" });

const seatChangeResponse = z.object({
  skuId: guid,
  delta: z.number().int(),
  availableBefore: z.number().int(),
  availableAfter: z.number().int(),
});

export const assignLicenseDryRunResponse = z
  .object({ dryRun: z.literal(true), user: userResponse, seatChanges: z.array(seatChangeResponse) })
  .meta({ id: "AssignLicenseDryRun" });

export const licenseDetailsResponse = z
  .object({
    id: z.string().meta({ description: "Stable and opaque: the same for a user's license on every read" }),
    skuId: guid,
    skuPartNumber: z.string(),
    servicePlans: z.array(
      z.object({
        servicePlanId: guid,
        servicePlanName: z.string(),
        provisioningStatus: z.enum(["Success", "PendingProvisioning", "Disabled", "Error"]),
        appliesTo,
      }),
    ),
  })
  .meta({ id: "LicenseDetails" });

export const licenseDetailsEntity = alone(licenseDetailsResponse, "LicenseDetailsEntity");

/** Graph's licenseProcessingState of a group, with the counts to show progress by (beyond Graph). */
const licenseProcessingState = z
  .object({
    state: z.enum(["QueuedForProcessing", "ProcessingInProgress", "ProcessingComplete"]),
    membersTotal: z
      .number()
      .int()
      .min(0)
      .meta({ description: "Members the current licenses are being given to" }),
    membersProcessed: z.number().int().min(0),
    membersInError: z.number().int().min(0).meta({
      description: "Members whose licenses from the group are held back now (membersWithLicenseErrors)",
    }),
  })
  .meta({ id: "LicenseProcessingState" });

/** A security group (issue 19), in Graph's shape. */
export const groupResponse = z
  .object({
    id: guid,
    displayName: z.string(),
    mailNickname: z.string(),
    description: z.string().nullable(),
    securityEnabled: z.literal(true).meta({ description: "Only security groups are supported" }),
    mailEnabled: z.literal(false),
    groupTypes: z.array(z.string()).max(0).meta({ description: "Always empty: a security group" }),
    createdDateTime: z.iso.datetime(),
    assignedLicenses: z
      .array(z.object({ skuId: guid, disabledPlans: z.array(guid) }))
      .meta({ description: "The licenses the group's members inherit" }),
    licenseProcessingState: licenseProcessingState
      .optional()
      .meta({ description: "On GET /groups/{id}, and on listings when $select names it" }),
  })
  .meta({ id: "Group" });

export const groupEntity = alone(groupResponse, "GroupEntity");

/** A group with only the properties `$select` named, and `id` always. */
const selectedGroupResponse = groupResponse
  .partial()
  .required({ id: true })
  .meta({ id: "GroupSelection", description: "A Group with only the properties $select named; id always" });

/** A group, whole or as `$select` chose. */
export const groupOrSelection = z.union([groupResponse, selectedGroupResponse]);

/** One group, whole or as `$select` chose, answered alone. */
export const groupOrSelectionEntity = z.union([
  groupEntity,
  alone(selectedGroupResponse, "GroupSelectionEntity"),
]);

/** A group in a user's memberOf: typed, as Graph types directory objects in a mixed collection. */
export const memberOfResponse = groupResponse
  .extend({ "@odata.type": z.literal("#microsoft.graph.group") })
  .meta({ id: "MemberOfGroup" });

/** A user in a group's members: typed, as Graph types directory objects in a mixed collection. */
export const groupMemberResponse = userResponse
  .extend({ "@odata.type": z.literal("#microsoft.graph.user") })
  .meta({ id: "GroupMember" });

/** The tenant's organisation, in Graph's shape (a few of Graph's properties). */
export const organizationResponse = z
  .object({
    id: guid.meta({ description: "The tenant's id" }),
    displayName: z.string().nullable().meta({ description: "null until set with PATCH" }),
    countryLetterCode: z.string().length(2).nullable().meta({
      description:
        "The default usage location (ISO 3166-1 alpha-2): users created without a usageLocation get it; null when not set",
    }),
    tenantType: z.literal("AAD").meta({ description: "A Microsoft Entra ID workforce tenant" }),
    createdDateTime: z.iso.datetime().nullable().meta({ description: "null until the record is first set" }),
  })
  .meta({ id: "Organization" });

/** Graph's collection: `@odata.context`, the page, and `@odata.nextLink` (absolute) when there is more. */
export const collection = <T extends z.ZodType>(item: T) =>
  z.object({
    "@odata.context": odataContext,
    value: z.array(item),
    "@odata.nextLink": z
      .url()
      .optional()
      .meta({ description: "The next page: the URL the caller used, absolute, with skipToken set" }),
  });

export const healthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  storage: z.enum(["ok", "down"]),
  queue: z.enum(["ok", "down"]),
});

/** How the admin console signs in (a pasted token locally, or Microsoft Entra ID with MSAL), and how long data is kept. */
const consoleSettings = {
  retentionSeconds: z
    .number()
    .int()
    .nonnegative()
    .meta({
      description:
        "How long a user's data is kept after a license is taken away or the user deleted (RETENTION_PERIOD), " +
        "for the console's warnings of the date it goes",
    }),
};

export const consoleConfigResponse = z
  .discriminatedUnion("signIn", [
    z.object({
      signIn: z.literal("token").meta({ description: "No Entra ID settings: paste a bearer token" }),
      ...consoleSettings,
    }),
    z.object({
      signIn: z.literal("entra"),
      ...consoleSettings,
      clientId: z.string().meta({ description: "The console's app registration (CONSOLE_CLIENT_ID)" }),
      authority: z.string().meta({ description: "Where it signs in (CONSOLE_AUTHORITY)" }),
      apiScope: z.string().meta({ description: "The scope it asks tokens for (CONSOLE_API_SCOPE)" }),
    }),
  ])
  .meta({ id: "ConsoleConfig" });

/** Microsoft Graph's error envelope, which Graph's SDKs read (GraphError's code and message). */
const graphError = z
  .object({
    code: z.string().meta({ description: "The same stable code as the problem's code" }),
    message: z.string().meta({ description: "The problem's detail" }),
    innerError: z.object({
      date: z
        .string()
        .regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
        .meta({ description: "UTC, to the second" }),
      "request-id": guid.meta({ description: "The response's request-id header" }),
      "client-request-id": z.string().meta({
        description: "The request's client-request-id, or the GUID made for a request that sent none",
      }),
    }),
    details: z
      .array(z.object({ code: z.string(), message: z.string(), target: z.string().optional() }))
      .optional()
      .meta({ description: "One per item of errors; target is the field path or the id concerned" }),
  })
  .meta({ id: "GraphError" });

export const problemResponse = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.record(z.string(), z.unknown())).optional(),
    error: graphError,
  })
  .meta({
    id: "Problem",
    description:
      "RFC 9457 problem details, with Microsoft Graph's error envelope beside them. Sent as " +
      "application/problem+json when Accept asks for it, application/json otherwise.",
  });

export const officeInstallResponse = z
  .object({
    id: guid,
    deviceName: z.string(),
    platform: z.enum(["Windows", "Mac"]),
    installedAt: z.iso.datetime(),
  })
  .meta({ id: "OfficeInstall" });

export const mailboxResponse = z
  .object({
    type: z.enum(["User", "Shared", "Room", "Resource"]),
    state: z.enum(["None", "Active", "Retained", "Inactive", "Purged"]),
    retainedUntil: z.iso.datetime().optional(),
    sizeGB: z.number(),
    dataId: z
      .string()
      .optional()
      .meta({ description: "Identifies the contents: unchanged when a retained mailbox comes back" }),
    needsLicense: z.boolean(),
    eDiscovery: z.enum(["Searchable", "SearchableAsInactiveMailbox", "NotSearchable"]),
  })
  .meta({ id: "Mailbox" });

export const provisioningResponse = z
  .object({
    mailbox: mailboxResponse,
    teamSite: z.object({ url: z.string(), permission: z.enum(["None", "Edit"]) }),
    skypeForBusiness: z.boolean(),
    teams: z.boolean(),
    officeApps: z.object({
      entitled: z.boolean(),
      installs: z.array(officeInstallResponse),
      limit: z.number().int(),
    }),
  })
  .meta({ id: "Provisioning" });

const jobResult = z.object({
  userId: guid,
  outcome: z.enum(["Succeeded", "Failed"]),
  code: z.string().optional(),
  detail: z.string().optional(),
});

export const jobAccepted = z.object({ jobId: guid }).meta({ id: "JobAccepted" });

export const jobResponse = z
  .object({
    jobId: guid,
    status: z.enum(["Queued", "Running", "Succeeded", "PartiallySucceeded", "Failed"]),
    operation: z.enum(["add", "replace", "remove", "removeAll", "inherit"]),
    total: z.number().int(),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    licenses: z
      .array(z.object({ skuId: guid, disabledPlans: z.array(guid) }))
      .meta({ description: "The products the job adds, replaces with or removes (a group's, for inherit)" }),
    groupId: guid.optional().meta({ description: "For inherit: the group whose licenses the job gives" }),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
    retryOf: guid.optional(),
    results: z.array(jobResult).optional(),
    nextLink: z.url().optional(),
  })
  .meta({ id: "Job" });

/** The tenant's recent jobs, newest first, each without its per-user results. */
export const jobListResponse = z
  .object({ value: z.array(jobResponse.omit({ results: true, nextLink: true })) })
  .meta({ id: "JobList" });

export const bulkPreviewResponse = z
  .object({
    dryRun: z.literal(true),
    seats: z.array(
      z.object({
        skuId: guid,
        needed: z.number().int(),
        available: z.number().int(),
        missing: z.number().int(),
      }),
    ),
    users: z.array(jobResult),
  })
  .meta({ id: "BulkPreview" });

const productUserResult = z.object({
  userId: guid,
  outcome: z.enum(["Succeeded", "Unchanged", "Failed"]).meta({
    description:
      "Succeeded: the user's licenses changed; Unchanged: the user already held the product with these plans (assign) or did not hold it (unassign); Failed: see code and detail",
  }),
  code: z.string().optional(),
  detail: z.string().optional(),
});

export const userResultsResponse = z
  .object({ "@odata.context": odataContext, value: z.array(productUserResult) })
  .meta({ id: "UserResults" });

/** The shape of this document itself (`GET /api/openapi.json`). */
export const openApiDocument = z.object({
  openapi: z.literal("3.1.0"),
  info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.object({ url: z.string() })),
  security: z.array(z.record(z.string(), z.array(z.string()))),
  components: z.record(z.string(), z.record(z.string(), z.unknown())),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});
