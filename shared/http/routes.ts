// Every HTTP route of the service (the API table of docs/api.md lists them).
import { z } from "zod";
import * as batch from "./batch-schemas.js";
import { entityTagPattern, ifMatchHeaders } from "./etags.js";
import * as input from "./request-schemas.js";
import * as output from "./response-schemas.js";
import { defineRoute } from "./route.js";

const problem = (description: string) => ({ description, schema: output.problemResponse });
/** Writes that retry on an ETag conflict answer 429 when other requests keep winning. */
const contended = {
  429: problem("TooManyRequests: too much contention on the same records; retry after Retry-After"),
};
/** The response header of one user or subscription: its version, for a later If-Match. */
const etag = {
  ETag: {
    description: "The record's version: send it as If-Match to change it only if unchanged",
    pattern: entityTagPattern,
  },
};
/** What a write honouring If-Match answers when the record changed since the caller read it. */
const preconditioned = {
  412: problem("PreconditionFailed: the record changed since the If-Match ETag was read; nothing changed"),
};
// 400 (where a route reads a body, query or header), 413, 415, 431, 500 and (with a token) 503 are
// added by openapi.ts.
const common = {
  401: problem("Unauthorized: missing, invalid or expired token"),
  403: problem("Forbidden: the caller's roles do not allow this"),
  503: problem("ServiceUnavailable: storage cannot be reached; retry after Retry-After"),
};

export const routes = {
  health: defineRoute({
    operationId: "health",
    method: "GET",
    route: "health",
    prefixes: ["api"],
    summary: "Liveness of the service and its storage and queue",
    tag: "Operations",
    right: "public",
    responses: {
      200: { description: "All dependencies reachable", schema: output.healthResponse },
      503: { description: "A dependency is down", schema: output.healthResponse },
    },
  }),
  openApi: defineRoute({
    operationId: "openApi",
    method: "GET",
    route: "openapi.json",
    prefixes: ["api"],
    summary: "This OpenAPI 3.1 document",
    tag: "Operations",
    right: "public",
    responses: { 200: { description: "The OpenAPI document", schema: output.openApiDocument } },
  }),
  consoleConfig: defineRoute({
    operationId: "consoleConfig",
    method: "GET",
    route: "console/config",
    prefixes: ["api"],
    summary:
      "How the admin console signs in (its Entra ID app settings; nothing secret), read before sign-in",
    tag: "Operations",
    right: "public",
    responses: {
      200: { description: "The console's sign-in settings", schema: output.consoleConfigResponse },
    },
  }),
  batch: defineRoute({
    operationId: "batch",
    method: "POST",
    route: "$batch",
    summary: "Microsoft Graph's JSON batch: up to 20 requests, each authorised and answered as if sent alone",
    tag: "Batch",
    right: "authenticated",
    body: batch.batchBody,
    responses: {
      200: { description: "A response per request, whatever its status", schema: batch.batchResponse },
      401: common[401],
      503: common[503],
    },
  }),
  listSkus: defineRoute({
    operationId: "listSkus",
    method: "GET",
    route: "skus",
    summary: "The product catalog: every product the service knows, bought or not",
    tag: "Products",
    right: "readLicenses",
    responses: { 200: { description: "Products", schema: output.collection(output.skuResponse) }, ...common },
  }),
  listSubscribedSkus: defineRoute({
    operationId: "listSubscribedSkus",
    method: "GET",
    route: "subscribedSkus",
    summary: "Products the tenant has bought, seats summed over their subscriptions (R3, R4)",
    tag: "Products",
    right: "readLicenses",
    responses: {
      200: { description: "One row per product", schema: output.collection(output.subscribedSkuResponse) },
      ...common,
    },
  }),
  getSubscribedSku: defineRoute({
    operationId: "getSubscribedSku",
    method: "GET",
    route: "subscribedSkus/{skuId}",
    summary: "One product's seat counts, by skuId or by Graph's id {tenantId}_{skuId}",
    tag: "Products",
    right: "readLicenses",
    responses: {
      200: { description: "The product", schema: output.subscribedSkuEntity },
      ...common,
      404: problem("NotFound"),
    },
  }),
  listSubscriptions: defineRoute({
    operationId: "listSubscriptions",
    method: "GET",
    route: "subscriptions",
    summary: "One row per subscription (the Products view, R4)",
    tag: "Subscriptions",
    right: "readLicenses",
    responses: {
      200: { description: "Subscriptions", schema: output.collection(output.subscriptionResponse) },
      ...common,
    },
  }),
  getSubscription: defineRoute({
    operationId: "getSubscription",
    method: "GET",
    route: "subscriptions/{id:guid}",
    summary: "One subscription",
    tag: "Subscriptions",
    right: "readLicenses",
    responses: {
      200: { description: "The subscription", schema: output.subscriptionEntity, headers: etag },
      ...common,
      404: problem("NotFound"),
    },
  }),
  buySubscription: defineRoute({
    operationId: "buySubscription",
    method: "POST",
    route: "subscriptions",
    summary: "Buy licenses: a new subscription (R5)",
    tag: "Subscriptions",
    right: "buyLicenses",
    body: input.buySubscriptionBody,
    responses: {
      201: { description: "Created", schema: output.subscriptionEntity, headers: etag },
      ...common,
      ...contended,
      404: problem("NotFound: unknown skuId"),
    },
  }),
  updateSubscription: defineRoute({
    operationId: "updateSubscription",
    method: "PATCH",
    route: "subscriptions/{id:guid}",
    summary: "Change seats or status; never below what is assigned (R5)",
    tag: "Subscriptions",
    right: "buyLicenses",
    body: input.updateSubscriptionBody,
    headers: ifMatchHeaders,
    responses: {
      200: { description: "Updated", schema: output.subscriptionEntity, headers: etag },
      ...common,
      ...contended,
      ...preconditioned,
      404: problem("NotFound"),
      409: problem("SeatsBelowAssigned"),
    },
  }),
  takeOverSubscription: defineRoute({
    operationId: "takeOverSubscription",
    method: "POST",
    route: "subscriptions/{id:guid}/takeOver",
    summary: "A self-service subscription becomes admin-managed (R6); honours If-Match",
    tag: "Subscriptions",
    right: "buyLicenses",
    headers: ifMatchHeaders,
    responses: {
      200: { description: "Taken over", schema: output.subscriptionEntity, headers: etag },
      ...common,
      ...contended,
      ...preconditioned,
      404: problem("NotFound"),
    },
  }),
  createUser: defineRoute({
    operationId: "createUser",
    method: "POST",
    route: "users",
    summary:
      "Add a user, optionally licensed in the same request (R12); takes Graph's create-user body (its passwordProfile is checked and dropped: no password is kept)",
    tag: "Users",
    right: "manageUsers",
    body: input.createUserBody,
    responses: {
      201: { description: "Created", schema: output.userEntity, headers: etag },
      ...common,
      ...contended,
      404: problem("NotFound: unknown skuId"),
      409: problem("Conflict, CountViolation, MutuallyExclusiveViolation, DependencyViolation"),
    },
  }),
  listUsers: defineRoute({
    operationId: "listUsers",
    method: "GET",
    route: "users",
    summary:
      "Users, optionally only unlicensed ones or the holders of one product (R16); OData $filter, $select, $top, $count",
    tag: "Users",
    right: "readLicenses",
    query: input.listUsersQuery,
    headers: input.consistencyHeaders,
    responses: {
      200: {
        description: "A page of users; with $count=true, @odata.count counts every user the filter takes",
        schema: output
          .collection(output.userOrSelection)
          .extend({ "@odata.count": z.number().int().min(0).optional() }),
      },
      ...common,
    },
  }),
  countUsers: defineRoute({
    operationId: "countUsers",
    method: "GET",
    route: "users/$count",
    summary: "How many users the filter takes, as text (needs ConsistencyLevel: eventual, as in Graph)",
    tag: "Users",
    right: "readLicenses",
    query: input.countUsersQuery,
    headers: input.consistencyHeaders,
    responses: {
      200: {
        description: "The number of users, as text/plain",
        schema: z.number().int().min(0),
        contentType: "text/plain",
      },
      ...common,
    },
  }),
  listRejectedEvents: defineRoute({
    operationId: "listRejectedEvents",
    method: "GET",
    route: "events/rejected",
    summary: "Producers' queue events the worker rejected, with why; newest first",
    tag: "Events",
    right: "readLicenses",
    query: input.listRejectedEventsQuery,
    responses: {
      200: {
        description: "A page of rejected events",
        schema: output.collection(output.rejectedEventResponse),
      },
      ...common,
    },
  }),
  getUser: defineRoute({
    operationId: "getUser",
    method: "GET",
    route: "users/{id}",
    summary: "One user with assignedLicenses, by id or userPrincipalName; OData $select",
    tag: "Users",
    right: "readLicenses",
    query: input.getUserQuery,
    responses: {
      200: { description: "The user", schema: output.userOrSelectionEntity, headers: etag },
      ...common,
      404: problem("NotFound"),
    },
  }),
  deleteUser: defineRoute({
    operationId: "deleteUser",
    method: "DELETE",
    route: "users/{id}",
    summary: "Delete a user; every license they held is freed at once (R20)",
    tag: "Users",
    right: "deleteUsers",
    headers: ifMatchHeaders,
    responses: {
      204: { description: "Deleted" },
      ...common,
      ...contended,
      404: problem("NotFound"),
      ...preconditioned,
    },
  }),
  updateUser: defineRoute({
    operationId: "updateUser",
    method: "PATCH",
    route: "users/{id}",
    summary:
      "Change a user's displayName, accountEnabled, mailNickname, profile or litigationHold (R19: a held E3 mailbox becomes inactive, not purged); 204, or 200 with the user for Prefer: return=representation",
    tag: "Users",
    right: "manageUsers",
    body: input.updateUserBody,
    headers: ifMatchHeaders.extend(input.preferHeaders.shape),
    responses: {
      200: {
        description: "Updated; the user, as the caller's Prefer: return=representation asked",
        schema: output.userEntity,
        headers: {
          ...etag,
          "Preference-Applied": { description: "return=representation", pattern: "^return=representation$" },
        },
      },
      204: { description: "Updated (as Graph answers unless Prefer asks for the user)", headers: etag },
      ...common,
      ...contended,
      ...preconditioned,
      404: problem("NotFound"),
    },
  }),
  restoreUser: defineRoute({
    operationId: "restoreUser",
    method: "POST",
    route: "users/{id}/restore",
    summary: "Restore a deleted user within the retention period, unlicensed (R20)",
    tag: "Users",
    right: "deleteUsers",
    responses: {
      200: { description: "The restored user", schema: output.userEntity, headers: etag },
      ...common,
      ...contended,
      404: problem("NotFound: no such deleted user, or its retention has ended"),
    },
  }),
  assignLicense: defineRoute({
    operationId: "assignLicense",
    method: "POST",
    route: "users/{id}/assignLicense",
    summary: "Assign, change or unassign a user's licenses, all or nothing (R7–R9, R13–R15)",
    tag: "Licenses",
    right: "assignLicenses",
    body: input.assignLicenseBody,
    query: input.dryRunQuery,
    headers: ifMatchHeaders,
    responses: {
      200: {
        description:
          "The updated user, or with ?dryRun=true what would happen (its ETag is then the user's current one, to apply the previewed change only if nothing changed meanwhile)",
        schema: z.union([output.userEntity, output.assignLicenseDryRunResponse]),
        headers: etag,
      },
      ...common,
      404: problem("NotFound: user or skuId"),
      409: problem(
        "CountViolation, MutuallyExclusiveViolation, DependencyViolation, SelfServiceSubscription",
      ),
      ...preconditioned,
      429: problem("TooManyRequests: too much contention, retry after Retry-After"),
    },
  }),
  submitBulk: defineRoute({
    operationId: "submitBulk",
    method: "POST",
    route: "licenses/bulk",
    summary:
      "Add, replace or remove licenses of up to 10,000 users in a background job (R10); ?dryRun=true previews",
    tag: "Bulk",
    right: "assignLicenses",
    body: input.bulkBody,
    query: input.dryRunQuery,
    headers: input.bulkHeaders,
    responses: {
      200: {
        description: "With ?dryRun=true: seats and per-user outcomes, nothing changed",
        schema: output.bulkPreviewResponse,
      },
      202: { description: "The job was accepted; follow Location", schema: output.jobAccepted },
      ...common,
      404: problem("NotFound: unknown skuId"),
      409: problem(
        "CountViolation (not enough seats and no allowPartial), Conflict (Idempotency-Key reused)",
      ),
    },
  }),
  getJob: defineRoute({
    operationId: "getJob",
    method: "GET",
    route: "jobs/{jobId:guid}",
    summary: "A bulk job's progress, and its per-user results once done (paged)",
    tag: "Bulk",
    right: "readLicenses",
    query: input.jobQuery,
    responses: {
      200: { description: "The job", schema: output.jobResponse },
      ...common,
      404: problem("NotFound"),
    },
  }),
  retryJob: defineRoute({
    operationId: "retryJob",
    method: "POST",
    route: "jobs/{jobId:guid}/retry",
    summary: "A new job for only the users that failed in a finished job",
    tag: "Bulk",
    right: "assignLicenses",
    responses: {
      202: { description: "The new job", schema: output.jobAccepted },
      ...common,
      404: problem("NotFound"),
      409: problem("Conflict: the job is still running or has no failures; CountViolation"),
    },
  }),
  assignProductUsers: defineRoute({
    operationId: "assignProductUsers",
    method: "POST",
    route: "subscribedSkus/{skuId:guid}/assign",
    summary: "Assign one product to up to 100 users at once, with a result per user (R11)",
    tag: "Bulk",
    right: "assignLicenses",
    body: input.productAssignBody,
    responses: {
      200: { description: "A result per user", schema: output.userResultsResponse },
      ...common,
      ...contended,
      404: problem("NotFound: unknown skuId"),
      409: problem("CountViolation: not enough seats for the whole list"),
    },
  }),
  unassignProductUsers: defineRoute({
    operationId: "unassignProductUsers",
    method: "POST",
    route: "subscribedSkus/{skuId:guid}/unassign",
    summary: "Unassign one product from up to 100 users at once, with a result per user (R11)",
    tag: "Bulk",
    right: "assignLicenses",
    body: input.productUnassignBody,
    responses: {
      200: { description: "A result per user", schema: output.userResultsResponse },
      ...common,
      ...contended,
      404: problem("NotFound"),
    },
  }),
  getLicenseDetails: defineRoute({
    operationId: "getLicenseDetails",
    method: "GET",
    route: "users/{id}/licenseDetails",
    summary: "A user's licenses with each service plan's provisioning status",
    tag: "Licenses",
    right: "readLicenses",
    responses: {
      200: { description: "License details", schema: output.collection(output.licenseDetailsResponse) },
      ...common,
      404: problem("NotFound"),
    },
  }),
  getLicenseDetailsItem: defineRoute({
    operationId: "getLicenseDetailsItem",
    method: "GET",
    route: "users/{id}/licenseDetails/{licenseDetailsId}",
    summary: "One of a user's licenses, by the id licenseDetails gives it",
    tag: "Licenses",
    right: "readLicenses",
    responses: {
      200: { description: "The license details", schema: output.licenseDetailsEntity },
      ...common,
      404: problem("NotFound: no such user, or no license of theirs with this id"),
    },
  }),
  getMailbox: defineRoute({
    operationId: "getMailbox",
    method: "GET",
    route: "users/{id}/mailbox",
    summary: "The user's mailbox: type, state, retainedUntil, size (R17–R21)",
    tag: "Provisioning",
    right: "readLicenses",
    responses: {
      200: { description: "The mailbox", schema: output.mailboxResponse },
      ...common,
      404: problem("NotFound"),
    },
  }),
  getProvisioning: defineRoute({
    operationId: "getProvisioning",
    method: "GET",
    route: "users/{id}/provisioning",
    summary:
      "What has been provisioned for the user: mailbox, team site permission, Skype/Teams, Office apps",
    tag: "Provisioning",
    right: "readLicenses",
    responses: {
      200: { description: "The provisioning state", schema: output.provisioningResponse },
      ...common,
      404: problem("NotFound"),
    },
  }),
  installOffice: defineRoute({
    operationId: "installOffice",
    method: "POST",
    route: "users/{id}/officeInstalls",
    summary: "Register an Office install on a PC or Mac; at most five per user (R17)",
    tag: "Provisioning",
    right: "assignLicenses",
    body: input.officeInstallBody,
    responses: {
      201: { description: "Installed", schema: output.officeInstallResponse },
      ...common,
      ...contended,
      404: problem("NotFound"),
      409: problem("OfficeInstallLimit (a sixth install), Conflict (no license with the Office apps)"),
    },
  }),
  removeOfficeInstall: defineRoute({
    operationId: "removeOfficeInstall",
    method: "DELETE",
    route: "users/{id}/officeInstalls/{installId:guid}",
    summary: "Release an Office install",
    tag: "Provisioning",
    right: "assignLicenses",
    responses: { 204: { description: "Removed" }, ...common, ...contended, 404: problem("NotFound") },
  }),
} as const;
