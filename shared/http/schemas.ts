// Request and response shapes of the public API. The request schemas validate
// every body and query; all of them feed the OpenAPI document.
import { z } from "zod";

const guid = z.guid({ error: "must be a GUID" });
const booleanText = z.enum(["true", "false"]).transform((value) => value === "true");

const licenseToAdd = z.strictObject({
  skuId: guid,
  disabledPlans: z.array(guid).max(100).default([]),
});

export const assignLicenseBody = z
  .strictObject({
    addLicenses: z.array(licenseToAdd).max(50).default([]),
    removeLicenses: z.array(guid).max(50).default([]),
  })
  .refine((body) => body.addLicenses.length + body.removeLicenses.length > 0, {
    message: "addLicenses and removeLicenses cannot both be empty",
    path: ["addLicenses"],
  })
  .meta({
    id: "AssignLicenseRequest",
    description:
      "addLicenses and removeLicenses cannot both be empty. A skuId may appear once in addLicenses and " +
      "once in removeLicenses, not in both (compared case-insensitively).",
    anyOf: [
      { required: ["addLicenses"], properties: { addLicenses: { type: "array", minItems: 1 } } },
      { required: ["removeLicenses"], properties: { removeLicenses: { type: "array", minItems: 1 } } },
    ],
  });

export const dryRunQuery = z.strictObject({ dryRun: booleanText.optional() });

/**
 * Free text (names): well-formed Unicode without control characters. A lone surrogate cannot be
 * stored as UTF-8 (two different ones would both become U+FFFD), and a control character is never
 * part of a name.
 */
const illFormedText = /[\p{Cc}\p{Cs}]/u;
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((value) => !illFormedText.test(value), {
      message: "must be well-formed Unicode text without control characters",
    });

/**
 * Microsoft Entra ID's rule for a userPrincipalName: alias@domain, the alias up to 64 characters
 * of A-Z a-z 0-9 ' . - _ ! # ^ ~ (no period first, last or twice in a row), the domain up to 48
 * of letters, digits and hyphens in dot-separated labels. ASCII only, so no two names share a key.
 */
const upnLabel = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const upnPattern = new RegExp(
  `^(?=[^@]{1,64}@)[A-Za-z0-9'_!#^~-]+(?:\\.[A-Za-z0-9'_!#^~-]+)*@(?=.{1,48}$)${upnLabel}(?:\\.${upnLabel})+$`,
);
const userPrincipalName = z
  .string()
  .regex(
    upnPattern,
    "must look like alias@domain: an alias of letters, digits and ' . - _ ! # ^ ~ (at most 64, no period " +
      "first, last or twice in a row) and a domain of letters, digits and hyphens in dot-separated labels " +
      "(at most 48); no spaces, accents or control characters",
  );

export const createUserBody = z
  .strictObject({
    userPrincipalName,
    displayName: text(256),
    userType: z.enum(["Member", "Guest"]).default("Member"),
    mailboxType: z.enum(["User", "Shared", "Room", "Resource"]).default("User"),
    licenses: z.array(licenseToAdd).max(50).default([]),
    litigationHold: z.boolean().default(false),
  })
  .meta({ id: "CreateUserRequest" });

export const updateUserBody = z
  .strictObject({
    displayName: text(256).optional(),
    litigationHold: z.boolean().optional(),
  })
  .refine((body) => body.displayName !== undefined || body.litigationHold !== undefined, {
    message: "give displayName, litigationHold or both",
    path: ["litigationHold"],
  })
  .meta({ id: "UpdateUserRequest", minProperties: 1 });

export const listUsersQuery = z.strictObject({
  licensed: booleanText.optional(),
  needsLicense: booleanText.optional(),
  deleted: booleanText.optional(),
  skuId: guid.optional(),
  top: z.coerce.number().int().min(1).max(999).default(100),
  skipToken: z.string().min(1).max(2048).optional(),
});

export const listRejectedEventsQuery = z.strictObject({
  top: z.coerce.number().int().min(1).max(999).default(100),
  skipToken: z.string().min(1).max(2048).optional(),
});

export const buySubscriptionBody = z
  .strictObject({
    skuId: guid,
    seats: z.number().int().min(1).max(1_000_000),
    purchaseChannel: z.enum(["Admin", "SelfService"]).default("Admin"),
  })
  .meta({ id: "BuySubscriptionRequest" });

export const updateSubscriptionBody = z
  .strictObject({
    seats: z.number().int().min(0).max(1_000_000).optional(),
    status: z.enum(["Enabled", "Warning", "Suspended", "LockedOut"]).optional(),
  })
  .refine((body) => body.seats !== undefined || body.status !== undefined, {
    message: "give seats, status or both",
    path: ["seats"],
  })
  .meta({ id: "UpdateSubscriptionRequest", minProperties: 1 });

// Responses (documentation only: the code builds them from typed domain objects).
const servicePlanInfo = z.object({
  servicePlanId: guid,
  servicePlanName: z.string(),
  provisioningKind: z.enum(["mailbox", "sharePoint", "skypeForBusiness", "teams", "officeApps", "other"]),
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

export const userResponse = z
  .object({
    id: guid,
    userPrincipalName: z.string(),
    displayName: z.string(),
    userType: z.enum(["Member", "Guest"]),
    mailboxType: z.enum(["User", "Shared", "Room", "Resource"]),
    assignedLicenses: z.array(z.object({ skuId: guid, disabledPlans: z.array(guid) })),
    createdDateTime: z.iso.datetime(),
    litigationHold: z.boolean(),
    deletedDateTime: z.iso.datetime().optional(),
    retainedUntil: z.iso.datetime().optional(),
  })
  .meta({ id: "User" });

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
    skuId: guid,
    skuPartNumber: z.string(),
    servicePlans: z.array(
      z.object({
        servicePlanId: guid,
        servicePlanName: z.string(),
        provisioningStatus: z.enum(["Success", "PendingProvisioning", "Disabled", "Error"]),
      }),
    ),
  })
  .meta({ id: "LicenseDetails" });

export const collection = <T extends z.ZodType>(item: T) =>
  z.object({ value: z.array(item), nextLink: z.url().optional() });

export const healthResponse = z.object({
  status: z.enum(["ok", "degraded"]),
  storage: z.enum(["ok", "down"]),
  queue: z.enum(["ok", "down"]),
});

export const problemResponse = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .meta({ id: "Problem" });

export const officeInstallBody = z
  .strictObject({
    deviceName: text(256),
    platform: z.enum(["Windows", "Mac"]),
  })
  .meta({ id: "OfficeInstallRequest" });

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

/** Up to `max` distinct user ids; a repeated id is a validation error naming it. */
const distinctUserIds = (max: number) =>
  z
    .array(guid.transform((id) => id.toLowerCase()))
    .min(1)
    .max(max)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        const key = id.toLowerCase();
        if (seen.has(key))
          ctx.addIssue({ code: "custom", path: [index], message: `user id ${id} appears twice` });
        seen.add(key);
      });
    })
    .meta({ uniqueItems: true, description: "Distinct user ids, compared case-insensitively" });

export const bulkBody = z
  .strictObject({
    userIds: distinctUserIds(10_000),
    operation: z.enum(["add", "replace", "remove", "removeAll"]),
    licenses: z.array(licenseToAdd).max(20).default([]),
    allowPartial: z.boolean().default(false),
  })
  .superRefine((body, ctx) => {
    if (body.operation === "removeAll" && body.licenses.length > 0) {
      ctx.addIssue({ code: "custom", path: ["licenses"], message: "removeAll takes no licenses" });
    }
    if (body.operation !== "removeAll" && body.licenses.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["licenses"],
        message:
          body.operation === "replace"
            ? "replace needs at least one license; to take every license away, use operation removeAll"
            : `${body.operation} needs at least one license`,
      });
    }
  })
  .meta({
    id: "BulkRequest",
    description: "removeAll takes no licenses; add, replace and remove need at least one.",
    if: { properties: { operation: { const: "removeAll" } } },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else, not a promise
    then: { properties: { licenses: { type: "array", maxItems: 0 } } },
    else: { required: ["licenses"], properties: { licenses: { type: "array", minItems: 1 } } },
  });

/** An Idempotency-Key makes a repeated submission return the first job. */
export const bulkHeaders = z.object({
  "Idempotency-Key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .meta({ description: "The same key with the same request returns the first job; with another, 409" }),
});

export const jobQuery = z.strictObject({
  top: z.coerce.number().int().min(1).max(1000).default(100),
  skipToken: z
    .string()
    .regex(/^\d{1,6}$/, "must be the skipToken of a nextLink")
    .optional(),
});

export const productAssignBody = z
  .strictObject({
    userIds: distinctUserIds(100),
    disabledPlans: z.array(guid).max(100).optional().meta({
      description:
        "Service plans to switch off. Left out: new holders get every plan and users who already hold the product keep theirs.",
    }),
  })
  .meta({ id: "ProductAssignRequest" });

export const productUnassignBody = z
  .strictObject({ userIds: distinctUserIds(100) })
  .meta({ id: "ProductUnassignRequest" });

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
    operation: z.enum(["add", "replace", "remove", "removeAll"]),
    total: z.number().int(),
    processed: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().optional(),
    retryOf: guid.optional(),
    results: z.array(jobResult).optional(),
    nextLink: z.url().optional(),
  })
  .meta({ id: "Job" });

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
  .object({ value: z.array(productUserResult) })
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
