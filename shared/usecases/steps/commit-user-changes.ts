// Commits the planned license changes of several users of one tenant in one transaction: each user
// (If-Match their ETag), the seat ledgers, the holder index, an audit line per user and batched
// events, plus whatever the caller adds (a job chunk's progress). All of it or none of it.

import type { UserOutcome } from "../../domain/bulk.js";
import { type CloudEvent, cloudEvent } from "../../domain/events.js";
import type { LicenseChange } from "../../domain/license-change.js";
import type { Actor, User } from "../../domain/model.js";
import type { Deps } from "../deps.js";
import { actionCount, type TenantWrite, type Versioned } from "../ports.js";
import { auditWrite } from "./audit.js";
import { type Ledgers, licenseWrites } from "./license-writes.js";
import { provisionOnCommit, withdrawOnCommit } from "./provisioning-commits.js";
import { scheduleRetention } from "./schedule-retention.js";

export interface PlannedUserChange {
  readonly before: User;
  readonly etag: string;
  readonly change: LicenseChange;
}

/**
 * One event per kind of change and product, naming every user it concerns (≤ 100 per event);
 * `provisioned` when the same transaction provisioned them, so the worker has nothing left to do.
 */
function batchedEvents(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  changes: readonly PlannedUserChange[],
  now: string,
  provisioned: boolean,
) {
  const groups = new Map<string, string[]>();
  const add = (type: string, skuId: string, userId: string) => {
    const key = `${type}|${skuId}`;
    groups.set(key, [...(groups.get(key) ?? []), userId]);
  };
  for (const { before, change } of changes) {
    for (const skuId of change.added) add("license.assigned", skuId, before.id);
    for (const skuId of change.removed) add("license.unassigned", skuId, before.id);
    for (const skuId of change.plansChanged) add("license.plansChanged", skuId, before.id);
  }
  const events: CloudEvent[] = [];
  for (const [key, userIds] of groups) {
    const [type, skuId] = key.split("|") as [
      "license.assigned" | "license.unassigned" | "license.plansChanged",
      string,
    ];
    const data = { tenantId, skuId, userIds, ...(provisioned ? { provisioned: true } : {}) };
    events.push(cloudEvent(type, deps.newId(), now, `skus/${skuId}`, data));
  }
  return events;
}

/** The changes a bulk plan makes, paired with the stored users (and ETags) they apply to. */
export function plannedChanges(
  outcomes: readonly UserOutcome[],
  users: ReadonlyMap<string, Versioned<User> | undefined>,
): PlannedUserChange[] {
  return outcomes.flatMap((o) => {
    const stored = o.outcome === "Succeeded" ? users.get(o.userId) : undefined;
    return o.outcome === "Succeeded" && stored
      ? [{ before: stored.value, etag: stored.etag, change: o.change }]
      : [];
  });
}

/** What one transaction commits: users' license changes, with whatever the caller adds. */
export interface UserChangesToCommit {
  readonly actor: Actor;
  readonly tenantId: string;
  readonly changes: readonly PlannedUserChange[];
  readonly ledgers: Ledgers;
  /** More writes for the same transaction (a job chunk's progress). */
  readonly extra: readonly TenantWrite[];
  readonly now: string;
  readonly audit: { readonly action: string; readonly target: string };
  /**
   * Provision the users in the same transaction (the worker's bulk chunks): their mailboxes and
   * the rest are in line with their licenses when the commit lands, with one user write each.
   */
  readonly provision?: boolean;
}

/** What `buildUserChanges` builds and `submitUserChanges` submits. */
export interface UserChangesCommit {
  readonly writes: readonly TenantWrite[];
  readonly events: readonly CloudEvent[];
  /** Each changed user before and as written, for the retention index (before the commit). */
  readonly users: readonly { readonly before: User; readonly after: User }[];
}

/** Builds the transaction (writes, events, users as written) without any I/O: nothing is stored yet. */
export function buildUserChanges(
  deps: Pick<Deps, "newId" | "retentionPeriodMs">,
  c: UserChangesToCommit,
): UserChangesCommit {
  const real = c.changes.filter(
    ({ change }) => change.added.length + change.removed.length + change.plansChanged.length > 0,
  );
  const { writes } = licenseWrites(
    real.map(({ before, change }) => ({ userId: before.id, change })),
    c.ledgers,
  );
  const now = new Date(c.now);
  const licensed = real.map(({ before, etag, change }) => ({
    before,
    etag,
    licensed: { ...before, assignedLicenses: change.assignedLicenses },
  }));
  // Bulk chunks provision their users here in full; otherwise the worker gives later, and only
  // what losing a license takes away is done now.
  const { users, audit: provisioned } = c.provision
    ? provisionOnCommit(deps, c.tenantId, now, licensed)
    : withdrawOnCommit(deps, c.tenantId, now, licensed);
  const userWrites: TenantWrite[] = users.map(({ after, etag }) => ({
    kind: "updateUser",
    user: after,
    etag,
  }));
  // One audit line for the whole transaction, with every user's licenses before and after: it
  // commits with them, and leaves room in the 100 actions for more users.
  const record = auditWrite(
    deps,
    c.actor,
    c.now,
    c.audit.action,
    c.audit.target,
    real.map(({ before }) => ({ userId: before.id, assignedLicenses: before.assignedLicenses })),
    real.map(({ before, change }) => ({ userId: before.id, assignedLicenses: change.assignedLicenses })),
  );
  return {
    writes: [...userWrites, ...writes, ...(real.length > 0 ? [record, ...provisioned] : []), ...c.extra],
    events: batchedEvents(deps, c.tenantId, real, c.now, c.provision === true),
    users: users.map(({ before, after }) => ({ before, after })),
  };
}

/** The table actions a commit takes, its events' outbox rows included. */
export const actionsOf = (commit: UserChangesCommit): number =>
  actionCount(commit.writes) + commit.events.length;

/** Submits what `buildUserChanges` built: its retention entries (if any), then the transaction and events. */
export async function submitUserChanges(
  deps: Deps,
  tenantId: string,
  commit: UserChangesCommit,
): Promise<void> {
  await scheduleRetention(deps.retention, tenantId, commit.users);
  await deps.outbox.commit(tenantId, commit.writes, commit.events);
}

/** Does both: builds the users' changes and submits them, for a caller that needs nothing in between. */
export async function commitUserChanges(deps: Deps, c: UserChangesToCommit): Promise<void> {
  await submitUserChanges(deps, c.tenantId, buildUserChanges(deps, c));
}
