// What a message on the provisioning queue must look like: a CloudEvent 1.0 envelope, and for each
// type the data it carries. Producers' events are validated here before anything is applied.
import { z } from "zod";

/** Ids are case-insensitive GUIDs, keyed in lower case, as HTTP treats them (shared/http/http-function.ts). */
const guid = z.guid({ error: "must be a GUID" }).transform((id) => id.toLowerCase());

export const envelope = z.object({
  specversion: z.literal("1.0", { error: 'specversion must be "1.0"' }),
  id: z.string().min(1).max(128),
  source: z.string().min(1),
  type: z.string().min(1),
  time: z.iso.datetime({ offset: true }).optional(),
  subject: z.string().optional(),
  datacontenttype: z.string().optional(),
  data: z.unknown(),
});

const tenantUser = { tenantId: guid, userId: guid };

/** The service's own license events name one user, or (from bulk work) up to 100. */
const licenseEvent = z
  .looseObject({ tenantId: guid, userId: guid.optional(), userIds: z.array(guid).min(1).max(100).optional() })
  .refine((d) => (d.userId === undefined) !== (d.userIds === undefined), "give userId or userIds");

/** A sign-in name, in any case; it is looked up as /users/{upn} paths are (resolveUserKey). */
const userPrincipalName = z.string().includes("@", { error: "must be a userPrincipalName (alias@domain)" });

/** A producer's membership change names the user by id or by userPrincipalName, not both. */
const memberEvent = z
  .strictObject({
    tenantId: guid,
    groupId: guid,
    userId: guid.optional(),
    userPrincipalName: userPrincipalName.optional(),
  })
  .refine((d) => (d.userId === undefined) !== (d.userPrincipalName === undefined), {
    error: "give userId or userPrincipalName, not both",
  });

/** The data each event type carries; strict, so a misspelt field is reported, not ignored. */
export const eventData = {
  "license.assigned": licenseEvent,
  "license.unassigned": licenseEvent,
  "license.plansChanged": licenseEvent,
  "user.deleted": z.looseObject(tenantUser),
  "user.restored": z.looseObject(tenantUser),
  "retention.expired": z.looseObject({ tenantId: guid }),
  "bulk.chunkRequested": z.strictObject({ tenantId: guid, jobId: guid, chunk: z.number().int().min(0) }),
  "user.offboarded": z.strictObject(tenantUser),
  "license.assignRequested": z.strictObject({
    ...tenantUser,
    addLicenses: z
      .array(z.strictObject({ skuId: guid, disabledPlans: z.array(guid).max(100).default([]) }))
      .max(50)
      .default([]),
    removeLicenses: z.array(guid).max(50).default([]),
  }),
  "mailbox.sizeReported": z.strictObject({ ...tenantUser, sizeGB: z.number().min(0).max(100_000) }),
  "group.memberAdded": memberEvent,
  "group.memberRemoved": memberEvent,
  "group.licenseErrorRaised": z.looseObject({ tenantId: guid, groupId: guid, userId: guid }),
  "group.licenseErrorCleared": z.looseObject({ tenantId: guid, groupId: guid, userId: guid }),
  "licenses.seatsFreed": z.strictObject({ tenantId: guid, skuIds: z.array(guid).min(1).max(100) }),
} as const;

export type EventType = keyof typeof eventData;

export const isKnownEventType = (type: string): type is EventType => Object.hasOwn(eventData, type);
