// The one commit of license changes: the decisions of a round packed into one transaction of at
// most 100 actions — each user (against the version decided on), each seat ledger once with the
// round's net change, the holder index, the audit lines, provisioning's own audit line — with the
// events going through the outbox and the retention that starts scheduled first.
import { type CloudEvent, cloudEvent } from "../../domain/events.js";
import type { SeatLedger, User } from "../../domain/model.js";
import { consumeSeats } from "../../domain/seats.js";
import type { Deps } from "../deps.js";
import { actionCountWithEvents, type TenantWrite, type Versioned, type WrittenVersions } from "../ports.js";
import { auditWrite } from "../steps/audit.js";
import { licenseEvents } from "../steps/license-events.js";
import { provisioningAudit } from "../steps/provisioning-commits.js";
import { scheduleRetention } from "../steps/schedule-retention.js";
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

/** Each ledger once, moved by the net seats of all the changes, against the version read. */
function ledgerWrites(changed: readonly Changed[], ledgers: Ledgers): TenantWrite[] {
  const totals = new Map<string, number>();
  for (const { change } of changed) {
    for (const [skuId, delta] of change.seatDelta) totals.set(skuId, (totals.get(skuId) ?? 0) + delta);
  }
  return [...totals].flatMap(([skuId, delta]): TenantWrite[] => {
    if (delta === 0) return [];
    const read = ledgers.get(skuId);
    // decide refuses seats of a product never bought, so only freeing can get here without one.
    if (!read) throw new Error(`seat ledger of ${skuId} is missing although its seats change`);
    return [{ kind: "putLedger", ledger: consumeSeats(read.value, delta), etag: read.etag }];
  });
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
    audit = [
      ...changed.map((d) =>
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
  const events =
    style.events === "perUser"
      ? changed.flatMap((d) => licenseEvents(deps, tenantId, d.after.id, d.change, now))
      : batchedEvents(deps, tenantId, changed, now, style.provisioned);
  return {
    writes: [...userWrites.values(), ...ledgerWrites(changed, ledgers), ...holders, ...audit, ...extra],
    events,
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
