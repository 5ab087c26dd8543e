// Group-based licensing (issue 19): licenses on a security group, given to its members through the
// one license-change pipeline. A group's licenses are one more source of license requests: a
// member joining or leaving, the group's licenses changing (a job over its members, as bulk jobs
// run), a reprocess, and seats freed for members waiting — each is a request `decide` rules on.
import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { checkedLicensesToAdd, type LicenseToAdd, requireProduct } from "../domain/license-change.js";
import type { GroupGrant } from "../domain/license-sources.js";
import type { Actor, BulkJob, Group, User } from "../domain/model.js";
import { notFound, ProblemError } from "../domain/problem.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import { type LicenseRequest, noDirectChange } from "./license-changes/decide.js";
import { attemptRound, changeLicenses, type RoundOptions } from "./license-changes/run.js";
import type { TenantWrite, Versioned } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { systemActor } from "./steps/system-actor.js";
import { chunkSize, startJob } from "./submit-bulk-job.js";

/** What a group gives its members now. */
export const grantOf = (group: Group): GroupGrant => ({
  groupId: group.id,
  version: group.licenseVersion,
  mayLicenseGuests: group.licensesReachGuests,
  licenses: group.assignedLicenses,
});

/** How changes made for groups are recorded: an audit line and events per user, as assignLicense. */
const forMembers: RoundOptions = {
  audit: { per: "user", action: "group:inheritLicenses" },
  events: "perUser",
  provision: "withdraw",
};

/**
 * Adds users to a group, or takes them out, each with what the group gives (or gave): the
 * membership rows, the user's memberships and licenses and the seats move in one commit, and each
 * commit rewrites the group under the version its licenses were read at, so a change of the
 * group's licenses (or its deletion) in between sends the round back to read it again. The users
 * were checked before; a user deleted meanwhile is left out.
 */
export async function changeMembers(
  deps: Deps,
  actor: Actor,
  groupId: string,
  userIds: readonly string[],
  member: boolean,
): Promise<void> {
  const { store, clock, tenantLock } = deps;
  const tenantId = actor.tenantId;
  const mayLicenseGuests = hasRight(actor.roles, "licenseGuests");
  await tenantLock.run(tenantId, async () => {
    let rest = userIds;
    while (rest.length > 0) {
      const pending = rest;
      const round = await retryOnConflict(async (tries) => {
        const found = await store.getGroup(tenantId, groupId.toLowerCase());
        if (!found) throw notFound(`Group ${groupId}`);
        const group = found.value;
        const at = clock.now().toISOString();
        const requests = pending.map(
          (userId): LicenseRequest => ({
            userId,
            actor,
            mayLicenseGuests,
            wanted: noDirectChange,
            membership: { groupId: group.id, member },
            // Even a group carrying no licenses: the member records its version, so that a late
            // message of an older job of the group's gives nothing.
            grants: member ? [grantOf(group)] : [],
            with: [
              { kind: member ? "addMember" : "removeMember", groupId: group.id, userId },
              auditWrite(
                deps,
                actor,
                at,
                member ? "addGroupMember" : "removeGroupMember",
                `group/${group.id}`,
                member ? null : { userId },
                member ? { userId } : null,
              ),
            ],
          }),
        );
        return attemptRound(deps, tenantId, requests, {
          ...forMembers,
          cached: tries === 1,
          extra: () => [{ kind: "updateGroup", group, etag: found.etag }],
        });
      });
      // A user deleted meanwhile is left out; any other refusal is the caller's to hear, not a
      // membership answered done that was never written.
      const refused = round.decided.find((d) => d.kind === "refused" && d.error.code !== "NotFound");
      if (refused?.kind === "refused") throw refused.error;
      rest = rest.slice(round.decided.length);
    }
  });
}

export interface GroupLicenseInput {
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
}

const sameLicenses = (a: Group["assignedLicenses"], b: Group["assignedLicenses"]): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Graph's POST /groups/{id}/assignLicense: the group's licenses change at once, and a job gives
 * them to every member in the background (chunks over the queue, the bulk jobs' watchdog and
 * exactly-once progress). The group, its new version and the job commit together, against the
 * group as read: a member added meanwhile sends it back to list the members again.
 */
export async function assignGroupLicense(
  deps: Deps,
  actor: Actor,
  groupId: string,
  input: GroupLicenseInput,
): Promise<Versioned<Group>> {
  const { store, clock, tenantLock } = deps;
  const tenantId = actor.tenantId;
  const add = checkedLicensesToAdd(input.addLicenses, "addLicenses");
  const remove = input.removeLicenses.map((skuId) => requireProduct(skuId).skuId);
  const both = add.find((l) => remove.includes(l.skuId));
  if (both) {
    throw new ProblemError(
      "ValidationFailed",
      `skuId ${both.skuId} is in both addLicenses and removeLicenses.`,
      [{ path: "removeLicenses", message: `skuId ${both.skuId} is also being added` }],
    );
  }
  return tenantLock.run(tenantId, () =>
    retryOnConflict(async () => {
      const found = await store.getGroup(tenantId, groupId.toLowerCase());
      if (!found) throw notFound(`Group ${groupId}`);
      const group = found.value;
      const kept = group.assignedLicenses.filter(
        (l) => !remove.includes(l.skuId) && !add.some((a) => a.skuId === l.skuId),
      );
      const licenses = [
        ...group.assignedLicenses.flatMap((l) => {
          const replaced = add.find((a) => a.skuId === l.skuId);
          return replaced ? [replaced] : kept.includes(l) ? [l] : [];
        }),
        ...add.filter((a) => !group.assignedLicenses.some((l) => l.skuId === a.skuId)),
      ];
      if (sameLicenses(licenses, group.assignedLicenses)) return found;
      const now = clock.now().toISOString();
      const memberIds = await store.listAllMemberIds(tenantId, group.id);
      const mayLicenseGuests = hasRight(actor.roles, "licenseGuests");
      const version = group.licenseVersion + 1;
      const job: BulkJob = {
        id: deps.newId(),
        operation: "inherit",
        licenses,
        allowPartial: true,
        total: memberIds.length,
        chunkCount: Math.ceil(memberIds.length / chunkSize),
        createdAt: now,
        createdBy: actor.objectId,
        mayLicenseGuests,
        group: { id: group.id, version },
      };
      const updated: Group = {
        ...group,
        assignedLicenses: licenses,
        licenseVersion: version,
        licensesReachGuests: mayLicenseGuests,
        licenseJobId: job.id,
      };
      const write: TenantWrite = { kind: "updateGroup", group: updated, etag: found.etag };
      const versions = await startJob(deps, tenantId, job, memberIds, [
        write,
        auditWrite(
          deps,
          actor,
          now,
          "assignGroupLicense",
          `group/${group.id}`,
          group.assignedLicenses,
          licenses,
        ),
      ]);
      return { value: updated, etag: versions.get(write) ?? found.etag };
    }),
  );
}

/** The grants of every group the user is a member of, as the groups stand now. */
async function grantsFor(deps: Deps, tenantId: string, user: User, only?: string): Promise<GroupGrant[]> {
  const groupIds = (user.memberOf ?? [])
    .map((m) => m.groupId)
    .filter((id) => only === undefined || id === only);
  const groups = await Promise.all(groupIds.map((id) => deps.store.getGroup(tenantId, id)));
  return groups.flatMap((found) => (found ? [grantOf(found.value)] : []));
}

/**
 * Graph's POST /users/{id}/reprocessLicenseAssignment: every group of the user's applies again as
 * it stands (entries in error are tried again). Answers the user as they are afterwards.
 */
export async function reprocessLicenses(deps: Deps, actor: Actor, userId: string): Promise<Versioned<User>> {
  const tenantId = actor.tenantId;
  for (;;) {
    const found = await deps.store.getUser(tenantId, userId);
    if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
    const grants = await grantsFor(deps, tenantId, found.value);
    const [outcome] = await changeLicenses(
      deps,
      tenantId,
      [
        {
          userId,
          actor,
          mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
          wanted: noDirectChange,
          grants,
        },
      ],
      { ...forMembers, audit: { per: "user", action: "reprocessLicenseAssignment" } },
    );
    if (!outcome) throw new Error("a request without an outcome");
    if (!outcome.ok) throw outcome.error;
    // A group that changed while it was read is given again as it is now.
    const again = await grantsFor(deps, tenantId, outcome.user);
    if (JSON.stringify(again) === JSON.stringify(grants) && outcome.etag) {
      return { value: outcome.user, etag: outcome.etag };
    }
  }
}

/**
 * Freed seats go to members waiting for them, oldest first (a licenses.seatsFreed message): each
 * waiting member's group applies again; one given takes a seat, one still short stays waiting.
 */
export async function serveWaitingMembers(
  deps: Deps,
  tenantId: string,
  skuIds: readonly string[],
): Promise<boolean> {
  const waiting = (await deps.store.listLicenseErrors(tenantId))
    .filter((e) => e.error === "CountViolation" && e.skuIds.some((s) => skuIds.includes(s)))
    .sort((a, b) => a.since.localeCompare(b.since) || a.userId.localeCompare(b.userId));
  const actor = systemActor(tenantId, "seats-freed");
  let served = false;
  for (const entry of waiting) {
    const group = await deps.store.getGroup(tenantId, entry.groupId);
    if (!group) continue;
    const [outcome] = await changeLicenses(
      deps,
      tenantId,
      [
        {
          userId: entry.userId,
          actor,
          mayLicenseGuests: group.value.licensesReachGuests,
          wanted: noDirectChange,
          grants: [grantOf(group.value)],
        },
      ],
      { ...forMembers, audit: { per: "user", action: "serveWaitingMember" } },
    );
    if (outcome?.ok && outcome.changed) served = true;
  }
  return served;
}
