// The provisioning worker's use case: one queue message in, its effect applied once. A message that
// can never succeed (not a CloudEvent, unknown type, invalid data, a user that does not exist, a
// refused license change) throws EventRejected with a code; anything else that throws is
// transient (storage down, a lost race) and the message is retried.
import type { z } from "zod";
import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { EventRejected } from "../domain/event-rejected.js";
import { envelope, eventData, isKnownEventType } from "../domain/event-schemas.js";
import { directSkuIds } from "../domain/license-sources.js";
import { ProblemError } from "../domain/problem.js";
import { addGroupMember } from "./add-group-member.js";
import { applyProvisioningMany } from "./apply-provisioning.js";
import { assignLicense } from "./assign-licenses.js";
import { type Deps, userLockKey } from "./deps.js";
import { serveWaitingMembers } from "./group-licenses.js";
import { processBulkChunk } from "./process-bulk-chunk.js";
import { removeGroupMember } from "./remove-group-member.js";
import { auditWrite } from "./steps/audit.js";
import { decodeBody } from "./steps/message-body.js";
import { systemActor } from "./steps/system-actor.js";

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
    .join("; ");
}

function decode(body: unknown): unknown {
  const decoded = decodeBody(body);
  if (!decoded) {
    throw new EventRejected(
      "InvalidJson",
      "The message body is not JSON; send a CloudEvent 1.0 JSON object.",
    );
  }
  return decoded.value;
}

/** Producers act with the rights of a License Administrator: they cannot license guests (R13), may manage groups. */
const producerActor = (tenantId: string, source: string) => ({
  ...systemActor(tenantId, `producer:${source}`),
  roles: ["LicenseAdministrator" as const],
});

export async function handleQueueMessage(
  deps: Deps,
  body: unknown,
): Promise<{ type: string; changed: boolean }> {
  const parsed = envelope.safeParse(decode(body));
  if (!parsed.success) {
    throw new EventRejected("InvalidCloudEvent", `Not a CloudEvent 1.0: ${describeIssues(parsed.error)}.`);
  }
  const event = parsed.data;
  if (!isKnownEventType(event.type)) {
    throw new EventRejected(
      "UnsupportedEventType",
      `${event.id}: no handler for events of type "${event.type}".`,
    );
  }
  const type = event.type;
  const data = eventData[type].safeParse(event.data);
  if (!data.success) {
    throw new EventRejected("InvalidEventData", `${event.type} ${event.id}: ${describeIssues(data.error)}.`);
  }
  const refused = (error: unknown): never => {
    // Only a caller's mistake is rejected; storage being down (503) or a lost race (429) is retried.
    if (error instanceof ProblemError && error.isCallersMistake) {
      throw new EventRejected(error.code, `${event.type} ${event.id}: ${error.detail}`);
    }
    throw error;
  };

  const changed = async (): Promise<boolean> => {
    const d = data.data;
    switch (type) {
      case "license.assigned":
      case "license.unassigned":
      case "license.plansChanged": {
        const { tenantId, userId, userIds, provisioned } = d as {
          tenantId: string;
          userId?: string;
          userIds?: string[];
          provisioned?: unknown;
        };
        // A bulk chunk provisions its users in the transaction that changed them; any later change
        // sends its own event.
        if (provisioned === true) return false;
        const at = event.time ? new Date(event.time) : undefined;
        if (userIds) {
          const requests = userIds.map((id) => ({ userId: id, changedAt: at }));
          return (await applyProvisioningMany(deps, tenantId, requests)).size > 0;
        }
        return deps.provisioning.submit(tenantId, { userId: userId ?? "", changedAt: at });
      }
      case "bulk.chunkRequested": {
        const { tenantId, jobId, chunk } = eventData["bulk.chunkRequested"].parse(d);
        return processBulkChunk(deps, tenantId, jobId, chunk);
      }
      case "user.deleted":
      case "user.restored": {
        const { tenantId, userId } = d as { tenantId: string; userId: string };
        const changedAt = event.time ? new Date(event.time) : undefined;
        return deps.provisioning.submit(tenantId, { userId, changedAt });
      }
      case "retention.expired":
        return false;
      case "user.offboarded": {
        const { tenantId, userId } = d as { tenantId: string; userId: string };
        const actor = producerActor(tenantId, event.source);
        // Everything the user holds when the change is decided, not when this event was read.
        const result = await assignLicense(
          deps,
          actor,
          userId,
          // What groups give goes when the user leaves them, not with this event.
          (user) => ({ addLicenses: [], removeLicenses: directSkuIds(user) }),
          { dryRun: false },
        ).catch((error: unknown) => {
          if (error instanceof ProblemError && error.code === "NotFound") {
            throw new EventRejected(
              "NotFound",
              `user.offboarded ${event.id}: user ${userId} does not exist.`,
            );
          }
          return refused(error);
        });
        return result.changed;
      }
      case "license.assignRequested": {
        const request = eventData["license.assignRequested"].parse(d);
        const actor = producerActor(request.tenantId, event.source);
        const result = await assignLicense(
          deps,
          actor,
          request.userId,
          { addLicenses: request.addLicenses, removeLicenses: request.removeLicenses },
          { dryRun: false },
        ).catch(refused);
        return result.changed;
      }
      case "group.memberAdded":
      case "group.memberRemoved": {
        // A redelivered event finds its change made: adding a member or removing a non-member is a no-op.
        const { tenantId, groupId, userId, userPrincipalName } = eventData[type].parse(d);
        const actor = producerActor(tenantId, event.source);
        const userKey = userId ?? userPrincipalName ?? "";
        const change =
          type === "group.memberAdded"
            ? addGroupMember(deps, actor, groupId, { set: "users", key: userKey }, "skip")
            : removeGroupMember(deps, actor, groupId, userKey, "skip");
        return change.catch(refused);
      }
      case "group.licenseErrorRaised":
      case "group.licenseErrorCleared":
        // For monitoring systems: the change they report is made.
        return false;
      case "licenses.seatsFreed": {
        const { tenantId, skuIds } = eventData["licenses.seatsFreed"].parse(d);
        return serveWaitingMembers(deps, tenantId, skuIds);
      }
      case "mailbox.sizeReported": {
        const report = eventData["mailbox.sizeReported"].parse(d);
        return reportMailboxSize(deps, report.tenantId, report.userId, report.sizeGB, event.id);
      }
    }
  };
  return { type: event.type, changed: await changed() };
}

/** R21: the size of a mailbox, reported by the mail system; shared ones over 50 GB then need a license. */
async function reportMailboxSize(
  deps: Deps,
  tenantId: string,
  userId: string,
  sizeGB: number,
  eventId: string,
): Promise<boolean> {
  const { store, tenantLock, clock } = deps;
  return tenantLock.run(userLockKey(tenantId, userId), () =>
    retryOnConflict(async () => {
      const found = await store.getUser(tenantId, userId);
      if (!found || found.value.deletedAt) {
        throw new EventRejected(
          "NotFound",
          `mailbox.sizeReported ${eventId}: user ${userId} does not exist.`,
        );
      }
      const before = found.value;
      if (before.provisioning.mailbox.sizeGB === sizeGB) return false;
      const mailbox = { ...before.provisioning.mailbox, sizeGB };
      const after = { ...before, provisioning: { ...before.provisioning, mailbox } };
      await store.commit(tenantId, [
        { kind: "updateUser", user: after, etag: found.etag },
        auditWrite(
          deps,
          systemActor(tenantId, "mail-system"),
          clock.now().toISOString(),
          "reportMailboxSize",
          `user/${userId}`,
          before.provisioning.mailbox,
          mailbox,
        ),
      ]);
      return true;
    }),
  );
}
