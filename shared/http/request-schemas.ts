// Request shapes of the public API: every body, query and header is validated with these, and they
// feed the OpenAPI document.
import { z } from "zod";
import { isCountryCode } from "../domain/countries.js";
import { groupFilterOption, selectOption, userFilterOption, userOrderOption } from "./odata.js";
import { groupResponse, userResponse } from "./response-schemas.js";

const guid = z.guid({ error: "must be a GUID" });
const booleanText = z.enum(["true", "false"]).transform((value) => value === "true");

/** A list that may be left out or sent as null (as Graph's SDKs and PowerShell do): both mean empty. */
const listOrNull = <T extends z.ZodType>(list: z.ZodArray<T>) =>
  list
    .nullish()
    .transform((value) => value ?? [])
    .meta({ description: "null or left out: empty" });

const licenseToAdd = z.strictObject({
  skuId: guid,
  disabledPlans: listOrNull(z.array(guid).max(100)),
});

export const assignLicenseBody = z
  .strictObject({
    addLicenses: listOrNull(z.array(licenseToAdd).max(50)),
    removeLicenses: listOrNull(z.array(guid).max(50)),
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

/** Exchange's rule for a mail alias: up to 64 of these ASCII characters, no period first or last. */
const mailNickname = z
  .string()
  .regex(
    /^(?!\.)[A-Za-z0-9!#$%&'*+\-./=?^_`{|}~]{1,64}(?<!\.)$/,
    "must be 1 to 64 ASCII letters, digits and ! # $ % & ' * + - . / = ? ^ _ ` { | } ~ (no @, spaces, " +
      "brackets, quotes, commas, colons or semicolons; no period first or last)",
  );

/**
 * Graph's profile properties, with Microsoft Entra ID's limits: a value sets one; null (or, on
 * creation, leaving it out) leaves it unset. Entra ID keeps a single business phone.
 */
const profileProperties = {
  givenName: text(64).nullish(),
  surname: text(64).nullish(),
  mail: z.email({ error: "must be an email address" }).max(256).nullish(),
  jobTitle: text(128).nullish(),
  mobilePhone: text(64).nullish(),
  officeLocation: text(128).nullish(),
  preferredLanguage: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/, "must be a language tag such as en-US")
    .max(35)
    .nullish(),
  businessPhones: z.array(text(64)).max(1, "can hold one number").nullish(),
};

/**
 * An ISO 3166-1 alpha-2 country code, as Graph's usageLocation and countryLetterCode take it: two
 * letters of an assigned code, taken in either case and kept upper case.
 */
const countryCode = z
  .string()
  .transform((value, ctx) => {
    const code = value.toUpperCase();
    if (isCountryCode(code)) return code;
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(value.slice(0, 20))} is not an ISO 3166-1 alpha-2 country code (two letters, such as SE or US)`,
    });
    return z.NEVER;
  })
  .meta({ pattern: "^[A-Za-z]{2}$", description: "ISO 3166-1 alpha-2, e.g. SE; kept upper case" });

/**
 * Graph's passwordProfile, accepted so that Graph's own create-user body is taken as it is, then
 * dropped: this service keeps no passwords (sign-in is Microsoft Entra ID's), stores and logs none.
 */
const passwordProfile = z
  .strictObject({
    password: z.string().min(1).max(256),
    forceChangePasswordNextSignIn: z.boolean().optional(),
    forceChangePasswordNextSignInWithMfa: z.boolean().optional(),
  })
  .meta({ description: "Checked, then dropped: the service keeps no passwords" });

export const createUserBody = z
  .strictObject({
    userPrincipalName,
    displayName: text(256),
    accountEnabled: z
      .boolean()
      .default(true)
      .meta({ description: "false: blocked from signing in (the user keeps their licenses)" }),
    mailNickname: mailNickname.optional().meta({ description: "Left out: the userPrincipalName's alias" }),
    passwordProfile: passwordProfile.optional(),
    ...profileProperties,
    usageLocation: countryCode.nullish().meta({
      description: "Left out or null: the organization's countryLetterCode (GET /organization)",
    }),
    userType: z.enum(["Member", "Guest"]).default("Member"),
    mailboxType: z.enum(["User", "Shared", "Room", "Resource"]).default("User"),
    licenses: z.array(licenseToAdd).max(50).default([]),
    litigationHold: z.boolean().default(false),
  })
  // The password goes no further than this check.
  .transform(({ passwordProfile: _dropped, ...user }) => user)
  .meta({ id: "CreateUserRequest" });

export const updateUserBody = z
  .strictObject({
    displayName: text(256).optional(),
    accountEnabled: z
      .boolean()
      .optional()
      .meta({ description: "false blocks the user from signing in; they keep their licenses" }),
    mailNickname: mailNickname.optional(),
    ...profileProperties,
    usageLocation: countryCode.nullish().meta({ description: "null clears it" }),
    litigationHold: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "give at least one property to change",
  })
  .meta({
    id: "UpdateUserRequest",
    minProperties: 1,
    description: "The properties to change; a profile property set to null is cleared",
  });

/**
 * RFC 7240's Prefer, as the preferences it names (`return=representation`), lower-cased and without
 * their parameters; preferences the service does not know are ignored, as the RFC asks.
 */
export const preferHeaders = z.object({
  Prefer: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? "")
        .split(",")
        .map((preference) => (preference.split(";")[0] ?? "").replace(/["\s]/g, "").toLowerCase())
        .filter((preference) => preference !== ""),
    )
    .meta({ description: "return=representation: answer 200 with the changed record rather than 204" }),
});

/** The user properties `$select` can name: those of the User representation. */
const userProperties = Object.keys(userResponse.shape);

/** Filters of a users listing or count: our own parameters and OData's `$filter`. */
const userFilterQuery = {
  licensed: booleanText.optional(),
  needsLicense: booleanText.optional(),
  deleted: booleanText.optional(),
  licenseErrors: booleanText.optional().meta({
    description:
      "true: only users whose licenses from a group are held back (license errors); false: only the others",
  }),
  skuId: guid.optional(),
  $filter: userFilterOption.optional(),
};

export const listUsersQuery = z.strictObject({
  ...userFilterQuery,
  top: z.coerce.number().int().min(1).max(999).default(100),
  $top: z.coerce
    .number()
    .int()
    .min(1)
    .max(999)
    .optional()
    .meta({ description: "OData $top: the page size, 1–999 (takes precedence over top)" }),
  $select: selectOption(userProperties).optional(),
  $orderby: userOrderOption.optional(),
  $count: booleanText.optional().meta({
    description: "OData $count=true adds @odata.count; needs the header ConsistencyLevel: eventual",
  }),
  skipToken: z.string().min(1).max(2048).optional(),
});

export const countUsersQuery = z.strictObject(userFilterQuery);

export const getUserQuery = z.strictObject({ $select: selectOption(userProperties).optional() });

/**
 * A directory object's URL as Graph's `@odata.id` and `members@odata.bind` carry it, on any host
 * (ours or graph.microsoft.com), as the entity set and key it names.
 */
const directoryObjectUrl = z
  .string()
  .max(2048)
  .transform((text, ctx) => {
    const found =
      /^https?:\/\/[^/?#\s]+\/(?:v1\.0|beta|api)\/(directoryObjects|users|groups)\/([^/?#\s]+)$/i.exec(text);
    const [, set = "", key = ""] = found ?? [];
    const known = (["directoryObjects", "users", "groups"] as const).find(
      (name) => name.toLowerCase() === set.toLowerCase(),
    );
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(key);
    } catch {
      decoded = undefined;
    }
    if (known === undefined || decoded === undefined || decoded === "") {
      ctx.addIssue({
        code: "custom",
        message:
          "must be a directory object's URL, such as https://graph.microsoft.com/v1.0/directoryObjects/{id} (or …/users/{id})",
      });
      return z.NEVER;
    }
    return { set: known, key: decoded };
  })
  .meta({
    description: "https://<any host>/v1.0/directoryObjects/{id} or …/users/{id}, e.g. Graph's own host",
  });

/** Graph's limit of members@odata.bind in one request. */
const maxMembersPerBind = 20;

/** Graph's members@odata.bind: users to add by URL, all or nothing. */
const membersBind = z
  .array(directoryObjectUrl)
  .min(1)
  .max(maxMembersPerBind, `takes at most ${maxMembersPerBind} members at once, as Microsoft Graph`)
  .optional()
  .meta({ description: `Users to add (up to ${maxMembersPerBind}); if any fails none is added` });

/** Graph's mail alias of a group: ASCII without @, spaces or brackets, up to 64 characters. */
const groupMailNickname = mailNickname;

const groupDescription = text(1024).nullish();

const onlySecurity = (property: string, value: boolean) =>
  z
    .literal(value, {
      error: `must be ${value}: only security groups are supported (securityEnabled true, mailEnabled false)`,
    })
    .meta({ description: `${property}: ${value} (only security groups are supported)` });

export const createGroupBody = z
  .strictObject({
    displayName: text(256),
    mailNickname: groupMailNickname,
    description: groupDescription,
    securityEnabled: onlySecurity("securityEnabled", true),
    mailEnabled: onlySecurity("mailEnabled", false),
    groupTypes: z
      .array(z.string())
      .max(0, "must be empty: only security groups are supported (no Unified or DynamicMembership)")
      .optional(),
    "members@odata.bind": membersBind,
  })
  .meta({ id: "CreateGroupRequest" });

export const updateGroupBody = z
  .strictObject({
    displayName: text(256).optional(),
    mailNickname: groupMailNickname.optional(),
    description: groupDescription,
    "members@odata.bind": membersBind,
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "give at least one property to change",
  })
  .meta({ id: "UpdateGroupRequest", minProperties: 1 });

export const memberReferenceBody = z
  .strictObject({ "@odata.id": directoryObjectUrl })
  .meta({ id: "DirectoryObjectReference" });

/** The group properties `$select` can name: those of the Group representation. */
const groupProperties = Object.keys(groupResponse.shape);

export const getGroupQuery = z.strictObject({ $select: selectOption(groupProperties).optional() });

/** A page of groups: Graph's $filter (startswith on displayName only), $select, $top, $count and skipToken. */
export const listGroupsQuery = z.strictObject({
  $filter: groupFilterOption.optional(),
  $select: selectOption(groupProperties).optional(),
  $top: z.coerce.number().int().min(1).max(999).default(100).meta({ description: "The page size, 1–999" }),
  $count: booleanText.optional().meta({
    description: "OData $count=true adds @odata.count; needs the header ConsistencyLevel: eventual",
  }),
  skipToken: z.string().min(1).max(2048).optional(),
});

/** A page of members or memberships. */
export const pageQuery = z.strictObject({
  $top: z.coerce.number().int().min(1).max(999).default(100).meta({ description: "The page size, 1–999" }),
  skipToken: z.string().min(1).max(2048).optional(),
});

/** A page query as the use cases' page options. */
export const pageOptionsOf = (query: z.output<typeof pageQuery>) => ({
  top: query.$top,
  ...(query.skipToken ? { continuation: query.skipToken } : {}),
});

/** Graph's advanced query header: `$count` and `/users/$count` need `ConsistencyLevel: eventual`. */
export const consistencyHeaders = z.object({
  ConsistencyLevel: z.string().optional().meta({
    description:
      "eventual: needed by $count=true, /users/$count, assignedLicenses/$count in $filter and $orderby with a filter, as in Microsoft Graph",
  }),
});

export const listRejectedEventsQuery = z.strictObject({
  top: z.coerce.number().int().min(1).max(999).default(100),
  skipToken: z.string().min(1).max(2048).optional(),
});

export const updateOrganizationBody = z
  .strictObject({
    displayName: text(256).nullish(),
    countryLetterCode: countryCode.nullish().meta({
      description: "The default usage location of users created without one; null clears it",
    }),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "give displayName, countryLetterCode or both",
  })
  .meta({ id: "UpdateOrganizationRequest", minProperties: 1 });

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

export const officeInstallBody = z
  .strictObject({
    deviceName: text(256),
    platform: z.enum(["Windows", "Mac"]),
  })
  .meta({ id: "OfficeInstallRequest" });

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

/** How many of the tenant's recent jobs to list. */
export const jobListQuery = z.strictObject({
  $top: z.coerce.number().int().min(1).max(100).default(50).meta({ description: "How many jobs, 1–100" }),
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
