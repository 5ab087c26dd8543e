// The one commit of license changes: the decisions of a round packed into one transaction of at
// most 100 actions — each user (against the version decided on), each seat ledger once with the
// round's net change, the holder index, the audit lines, provisioning's own audit line — with the
// events going through the outbox and the retention that starts scheduled first.
import { type CloudEvent, cloudEvent } from "../../domain/events.js";
import { groupErrors, type LicenseSource, sourcesOf } from "../../domain/license-sources.js";
import type { SeatLedger, User } from "../../domain/model.js";
import { consumeSeats, emptyLedger } from "../../domain/seats.js";
import type { Deps } from "../deps.js";
import { actionCountWithEvents, type TenantWrite, type Versioned, type WrittenVersions } from "../ports.js";
import { auditWrite } from "../steps/audit.js";
import { licenseEvents } from "../steps/license-events.js";
import { provisioningAudit } from "../steps/provisioning-commits.js";
import { scheduleRetention } from "../steps/schedule-retention.js";
import { seatsFreed } from "../steps/seats-freed.js";
import type { Decision } from "./decide.js";

export type Changed = Extract<Decision, { kind: "changed" }>;

/** The ledgers a round read, by product (missing: never bought). */
export type Ledgers = ReadonlyMap<string, Versioned<SeatLedger> | undefined>;

/** How a source of license changes is recorded: its audit lines and its events. */
export interface CommitStyle {
  /**
   * One audit line per user (`user/{id}`, with their licenses before and after, or the whole new
   * user), or one per transaction naming every user it changed.
   */
  readonly audit:
    | { readonly per: "user"; readonly action: string }
    | { readonly per: "transaction"; readonly action: string; readonly target: string };
  /** One event per user and product, or one per kind and product naming its users. */
  readonly events: "perUser" | "batched";
}

export interface Transaction {
  readonly writes: readonly TenantWrite[];
  readonly events: readonly CloudEvent[];
  /** The user write of each change, to find the version it wrote. */
  readonly userWrites: ReadonlyMap<Changed, TenantWrite>;
  /** Each changed user before and as written, for the retention index. */
  readonly retained: readonly { readonly before: User | undefined; readonly after: User }[];
}

const isChanged = (decision: Decision): decision is Changed => decision.kind === "changed";

/** One event per kind of change and product, naming every user it concerns. */
function batchedEvents(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  changed: readonly Changed[],
  now: string,
  provisioned: boolean,
): CloudEvent[] {
  const groups = new Map<string, string[]>();
  const add = (type: string, skuId: string, userId: string) => {
    const key = `${type}|${skuId}`;
    groups.set(key, [...(groups.get(key) ?? []), userId]);
  };
  for (const { after, change } of changed) {
    for (const skuId of change.added) add("license.assigned", skuId, after.id);
    for (const skuId of change.removed) add("license.unassigned", skuId, after.id);
    for (const skuId of change.plansChanged) add("license.plansChanged", skuId, after.id);
  }
  return [...groups].map(([key, userIds]) => {
    const [type, skuId] = key.split("|") as [
      "license.assigned" | "license.unassigned" | "license.plansChanged",
      string,
    ];
    const data = { tenantId, skuId, userIds, ...(provisioned ? { provisioned: true } : {}) };
    return cloudEvent(type, deps.newId(), now, `skus/${skuId}`, data);
  });
}

/** How many group entries of each product wait for a seat. */
function waitingBySku(sources: readonly LicenseSource[]): Map<string, number> {
  const waiting = new Map<string, number>();
  for (const s of sources) {
    if (s.error === "CountViolation") waiting.set(s.skuId, (waiting.get(s.skuId) ?? 0) + 1);
  }
  return waiting;
}

const entriesOf = (user: User | undefined): LicenseSource[] => (user ? sourcesOf(user) : []);

/**
 * Each ledger once, moved by the net seats of all the changes (and the net group entries waiting
 * for one of its seats), against the version read. Names the products whose seats were freed
 * while entries wait for them.
 */
function ledgerWrites(
  changed: readonly Changed[],
  ledgers: Ledgers,
): { writes: TenantWrite[]; freed: string[] } {
  const seats = new Map<string, number>();
  const waiting = new Map<string, number>();
  const add = (totals: Map<string, number>, skuId: string, delta: number) =>
    totals.set(skuId, (totals.get(skuId) ?? 0) + delta);
  for (const { change, before, after } of changed) {
    for (const [skuId, delta] of change.seatDelta) add(seats, skuId, delta);
    if (!before?.licenseSources && !after.licenseSources) continue;
    for (const [skuId, n] of waitingBySku(entriesOf(after))) add(waiting, skuId, n);
    for (const [skuId, n] of waitingBySku(entriesOf(before))) add(waiting, skuId, -n);
  }
  const freed: string[] = [];
  const writes = [...new Set([...seats.keys(), ...waiting.keys()])].flatMap((skuId): TenantWrite[] => {
    const delta = seats.get(skuId) ?? 0;
    const moreWaiting = waiting.get(skuId) ?? 0;
    if (delta === 0 && moreWaiting === 0) return [];
    const read = ledgers.get(skuId);
    if (!read) {
      // decide refuses seats of a product never bought, so only its waiting members get here.
      if (delta !== 0) throw new Error(`seat ledger of ${skuId} is missing although its seats change`);
      if (moreWaiting <= 0) return [];
      // The product's first purchase creates this row too: one of the two commits fails and decides
      // again, so a purchase cannot slip in between unseen by the members who start waiting.
      return [{ kind: "putLedger", ledger: { ...emptyLedger(skuId), waiting: moreWaiting } }];
    }
    const waitingNow = Math.max(0, (read.value.waiting ?? 0) + moreWaiting);
    const { waiting: _was, ...counts } = consumeSeats(read.value, delta);
    const ledger = waitingNow > 0 ? { ...counts, waiting: waitingNow } : counts;
    if (delta < 0 && waitingNow > 0) freed.push(skuId);
    return [{ kind: "putLedger", ledger, etag: read.etag }];
  });
  return { writes, freed };
}

/**
 * The index of members whose group licenses are held back, kept with the user: a row per group in
 * error, and an event as a member enters or leaves the error (a monitoring system alerts on it).
 */
function licenseErrorWrites(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  changed: readonly Changed[],
  now: string,
): { writes: TenantWrite[]; events: CloudEvent[] } {
  const writes: TenantWrite[] = [];
  const events: CloudEvent[] = [];
  for (const { before, after } of changed) {
    if (!before?.licenseSources && !after.licenseSources) continue;
    const was = groupErrors(entriesOf(before));
    const is = groupErrors(after.licenseSources ?? []);
    for (const [groupId, entry] of is) {
      const previous = was.get(groupId);
      if (JSON.stringify(previous) === JSON.stringify(entry)) continue;
      writes.push({ kind: "putLicenseError", entry: { groupId, userId: after.id, ...entry } });
      if (previous?.error !== entry.error) {
        const data = { tenantId, groupId, userId: after.id, error: entry.error, skuIds: entry.skuIds };
        events.push(cloudEvent("group.licenseErrorRaised", deps.newId(), now, `groups/${groupId}`, data));
      }
    }
    for (const [groupId, entry] of was) {
      if (is.has(groupId)) continue;
      writes.push({ kind: "removeLicenseError", groupId, userId: after.id });
      const data = { tenantId, groupId, userId: after.id, error: entry.error, skuIds: entry.skuIds };
      events.push(cloudEvent("group.licenseErrorCleared", deps.newId(), now, `groups/${groupId}`, data));
    }
  }
  return { writes, events };
}

/**
 * Builds the transaction of `decided` (refusals and "nothing to do" write nothing) without any
 * I/O, plus `extra` writes of the caller's (a bulk chunk's progress).
 */
export function buildTransaction(
  deps: Pick<Deps, "newId">,
  tenantId: string,
  decided: readonly Decision[],
  ledgers: Ledgers,
  style: CommitStyle & { readonly provisioned: boolean; readonly now: string },
  extra: readonly TenantWrite[] = [],
): Transaction {
  const changed = decided.filter(isChanged);
  const { now } = style;
  const userWrites = new Map<Changed, TenantWrite>(
    changed.map((d) => [
      d,
      d.etag === undefined
        ? { kind: "createUser", user: d.after }
        : { kind: "updateUser", user: d.after, etag: d.etag },
    ]),
  );
  const holders = changed.flatMap(({ after, change }): TenantWrite[] => [
    ...change.added.map((skuId) => ({ kind: "addHolder" as const, skuId, userId: after.id })),
    ...change.removed.map((skuId) => ({ kind: "removeHolder" as const, skuId, userId: after.id })),
  ]);
  const moved = changed.filter((d) => JSON.stringify(d.after) !== JSON.stringify(d.licensed));
  const when = new Date(now);
  let audit: TenantWrite[];
  if (style.audit.per === "user") {
    const { action } = style.audit;
    // A change of memberships alone has its own audit line (the request's `with`).
    const licensesMoved = changed.filter(
      (d) =>
        !d.before || JSON.stringify(d.before.assignedLicenses) !== JSON.stringify(d.after.assignedLicenses),
    );
    audit = [
      ...licensesMoved.map((d) =>
        d.before
          ? auditWrite(
              deps,
              d.request.actor,
              now,
              action,
              `user/${d.after.id}`,
              d.before.assignedLicenses,
              d.after.assignedLicenses,
            )
          : auditWrite(deps, d.request.actor, now, action, `user/${d.after.id}`, null, d.after),
      ),
      ...moved.map((d) => provisioningAudit(deps, tenantId, when, [{ before: d.licensed, after: d.after }])),
    ];
  } else {
    const [first] = changed;
    // One line for the whole transaction, with every user's licenses before and after: it leaves
    // room in the 100 actions for more users.
    audit = first
      ? [
          auditWrite(
            deps,
            first.request.actor,
            now,
            style.audit.action,
            style.audit.target,
            changed.map((d) => ({ userId: d.after.id, assignedLicenses: d.before?.assignedLicenses ?? [] })),
            changed.map((d) => ({ userId: d.after.id, assignedLicenses: d.after.assignedLicenses })),
          ),
          ...(moved.length > 0
            ? [
                provisioningAudit(
                  deps,
                  tenantId,
                  when,
                  moved.map((d) => ({ before: d.licensed, after: d.after })),
                ),
              ]
            : []),
        ]
      : [];
  }
  const licenseEventsOf =
    style.events === "perUser"
      ? changed.flatMap((d) => licenseEvents(deps, tenantId, d.after.id, d.change, now))
      : batchedEvents(deps, tenantId, changed, now, style.provisioned);
  const seats = ledgerWrites(changed, ledgers);
  const errors = licenseErrorWrites(deps, tenantId, changed, now);
  const freed = seatsFreed(deps, tenantId, now, seats.freed);
  return {
    writes: [
      ...userWrites.values(),
      ...seats.writes,
      ...holders,
      ...audit,
      ...errors.writes,
      ...changed.flatMap((d) => d.request.with ?? []),
      ...extra,
    ],
    events: [...licenseEventsOf, ...errors.events, ...freed],
    userWrites,
    retained: changed.map((d) => ({ before: d.before, after: d.after })),
  };
}

/** The table actions a transaction takes, its events' outbox rows included. */
export const actionsOf = (transaction: Transaction): number =>
  actionCountWithEvents(transaction.writes, transaction.events);

/** Schedules the retention the transaction starts, then commits it with its events. */
export async function commitTransaction(
  deps: Deps,
  tenantId: string,
  transaction: Transaction,
): Promise<WrittenVersions> {
  await scheduleRetention(deps.retention, tenantId, transaction.retained);
  return deps.outbox.commit(tenantId, transaction.writes, transaction.events);
}
