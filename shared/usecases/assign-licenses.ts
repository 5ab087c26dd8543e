// assignLicense for one user (R7–R9, R13–R15): all-or-nothing, seats exact under concurrency.
// Calls for one tenant that wait for its lock (the inner requests of a $batch, a script's parallel
// calls) commit together in one transaction, each decided on its own (group commit).

import { type ItemOutcome, LockedGroups } from "../concurrency/locked-groups.js";
import { refuseOnlyWhenFresh, retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { findProduct } from "../domain/catalog.js";
import { type LicenseToAdd, planLicenseChange } from "../domain/license-change.js";
import type { Actor, User } from "../domain/model.js";
import { notFound, ProblemError } from "../domain/problem.js";
import { hasRight } from "../domain/roles.js";
import type { Deps } from "./deps.js";
import { actionCount, maxActionsPerCommit, type PreconditionOption, type TenantWrite } from "./ports.js";
import { auditWrite } from "./steps/audit.js";
import { licenseEvents } from "./steps/license-events.js";
import { licenseWrites, readLedgers, type SeatChange } from "./steps/license-writes.js";
import { withdrawOnCommit } from "./steps/provisioning-commits.js";
import { scheduleRetention } from "./steps/schedule-retention.js";
import { selfServiceSubscriptionIds } from "./steps/self-service.js";
import { requireVersion, writtenVersion } from "./steps/versions.js";

export interface AssignLicenseInput {
  readonly addLicenses: readonly LicenseToAdd[];
  readonly removeLicenses: readonly string[];
}

export interface AssignLicenseResult {
  readonly user: User;
  /** The stored user's version: as written, or as read when nothing was written (a dry run, no change). */
  readonly etag: string;
  readonly seatChanges: readonly SeatChange[];
  readonly dryRun: boolean;
}

/** The catalog's spelling of the products a request names (unknown ones are refused later). */
const skuIdsOf = (input: AssignLicenseInput): string[] =>
  [...input.addLicenses.map((l) => l.skuId), ...input.removeLicenses]
    .map((skuId) => findProduct(skuId)?.skuId)
    .filter((skuId) => skuId !== undefined);

export async function assignLicense(
  deps: Deps,
  actor: Actor,
  userId: string,
  input: AssignLicenseInput,
  options: { readonly dryRun: boolean } & PreconditionOption,
): Promise<AssignLicenseResult> {
  const { store, tenantLock, clock } = deps;
  const tenantId = actor.tenantId;
  const skuIds = skuIdsOf(input);

  const attempt = async (cached: boolean): Promise<AssignLicenseResult> => {
    // One round trip for everything the decision needs: the user and the ledgers it may touch,
    // taken from this process's cache on a first try (their ETags guard the commit).
    const [found, ledgers] = await Promise.all([
      store.getUser(tenantId, userId, { cached }),
      readLedgers(store, tenantId, skuIds, { cached }),
    ]);
    const decided = await refuseOnlyWhenFresh(cached, async () => {
      if (!found || found.value.deletedAt) throw notFound(`User ${userId}`);
      // Before any other rule: the caller decided on the version they read, not on this one.
      requireVersion(options.ifMatch, found.etag, `User ${userId}`);
      const before = found.value;
      const now = clock.now().toISOString();
      const change = planLicenseChange({
        user: before,
        addLicenses: input.addLicenses,
        removeLicenses: input.removeLicenses,
        mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
        selfServiceSubscriptionIds: await selfServiceSubscriptionIds(
          store,
          tenantId,
          before.assignedLicenses,
        ),
        now,
        newPlanStatus: "PendingProvisioning",
      });
      return { found, before, now, change, ...licenseWrites([{ userId, change }], ledgers) };
    });
    const { found: user, before, now, change, writes, seatChanges } = decided;
    const {
      users: [withdrawn],
      audit: provisioned,
    } = withdrawOnCommit(deps, tenantId, new Date(now), [
      { before, licensed: { ...before, assignedLicenses: change.assignedLicenses } },
    ]);
    // One user in, one out: a missing one is a bug, never a reason to write the user unchanged.
    if (!withdrawn) throw new Error("withdrawOnCommit answered no user for the one it was given");
    const { after } = withdrawn;
    if (options.dryRun) return { user: after, etag: user.etag, seatChanges, dryRun: true };
    if (change.added.length + change.removed.length + change.plansChanged.length === 0) {
      return { user: before, etag: user.etag, seatChanges, dryRun: false };
    }
    await scheduleRetention(deps.retention, tenantId, [{ before, after }]);
    const userWrite: TenantWrite = { kind: "updateUser", user: after, etag: user.etag };
    const versions = await deps.outbox.commit(
      tenantId,
      [
        userWrite,
        ...writes,
        auditWrite(
          deps,
          actor,
          now,
          "assignLicense",
          `user/${userId}`,
          before.assignedLicenses,
          after.assignedLicenses,
        ),
        ...provisioned,
      ],
      licenseEvents(deps, tenantId, userId, change, now),
    );
    return { user: after, etag: writtenVersion(versions, userWrite), seatChanges, dryRun: false };
  };

  // A dry run writes nothing, so it needs neither the lock nor a retry.
  if (options.dryRun) return attempt(false);
  // With If-Match the user is always read fresh: a cached copy may answer "unchanged" for a user
  // another process changed, and a no-op would then pass the precondition without any commit to fail.
  const mayUseCache = options.ifMatch === undefined;
  const alone = () => retryOnConflict((tries) => attempt(mayUseCache && tries === 1));
  // A call with If-Match runs alone; the others may share a transaction with calls that waited
  // for the tenant's lock with them.
  if (options.ifMatch !== undefined) return tenantLock.run(tenantId, alone);
  return groupsOf(deps).submit(tenantId, { actor, userId, input, alone });
}

// ---------------------------------------------------------------------------------------------
// Group commit of the calls that waited for the tenant's lock together.

interface Call {
  readonly actor: Actor;
  readonly userId: string;
  readonly input: AssignLicenseInput;
  /** The call alone, as without grouping: its own read, decision, commit and retries. */
  readonly alone: () => Promise<AssignLicenseResult>;
}

const settle = async <O>(work: () => Promise<O>): Promise<ItemOutcome<O>> => {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error };
  }
};

/** The groups of each process's deps (one per tenant at a time, behind that tenant's lock). */
const groups = new WeakMap<Deps, LockedGroups<Call, AssignLicenseResult>>();
function groupsOf(deps: Deps): LockedGroups<Call, AssignLicenseResult> {
  let found = groups.get(deps);
  if (!found) {
    found = new LockedGroups(deps.tenantLock, (tenantId, calls) => applyGroup(deps, tenantId, calls));
    groups.set(deps, found);
  }
  return found;
}

interface Indexed {
  readonly call: Call;
  readonly index: number;
}

/** Answers every call of a group, in rounds of one transaction each (holding the tenant's lock). */
async function applyGroup(
  deps: Deps,
  tenantId: string,
  calls: readonly Call[],
): Promise<ItemOutcome<AssignLicenseResult>[]> {
  const outcomes = new Map<number, ItemOutcome<AssignLicenseResult>>();
  let pending: Indexed[] = calls.map((call, index) => ({ call, index }));
  while (pending.length > 0) {
    const [only] = pending;
    if (pending.length === 1 && only) {
      outcomes.set(only.index, await settle(only.call.alone));
      break;
    }
    const round = pending;
    try {
      const done = await retryOnConflict((tries) => attemptRound(deps, tenantId, round, tries === 1));
      for (const [index, outcome] of done.answered) outcomes.set(index, outcome);
      pending = done.deferred;
    } catch {
      // Not one call's refusal (storage unreachable, a write the table refused, no end to
      // conflicts): each call goes alone, so that a failure is only the failing call's.
      for (const { call, index } of round) outcomes.set(index, await settle(call.alone));
      break;
    }
  }
  return calls.map(
    (_, index) =>
      outcomes.get(index) ?? { ok: false, error: new Error(`the group gave call ${index} no answer`) },
  );
}

/** A call whose change is decided and fits the transaction, with its part of the writes. */
interface Accepted extends Indexed {
  readonly userWrite: TenantWrite;
  readonly writes: readonly TenantWrite[];
  readonly events: ReturnType<typeof licenseEvents>;
  readonly after: User;
  readonly seatChanges: readonly SeatChange[];
  readonly retained: { readonly before: User; readonly after: User };
}

/**
 * One try of one transaction for several calls of a tenant: reads their users and ledgers, decides
 * each call in turn against the seats the calls before it took (a refused call gets its own error
 * and writes nothing), and commits the rest together. A second call for a user already in the round,
 * and calls beyond what one transaction holds, are deferred to the next round.
 */
async function attemptRound(
  deps: Deps,
  tenantId: string,
  round: readonly Indexed[],
  cached: boolean,
): Promise<{ answered: Map<number, ItemOutcome<AssignLicenseResult>>; deferred: Indexed[] }> {
  const { store, clock } = deps;
  const seen = new Set<string>();
  const calls: Indexed[] = [];
  const deferred: Indexed[] = [];
  for (const entry of round) {
    if (seen.has(entry.call.userId)) deferred.push(entry);
    else {
      seen.add(entry.call.userId);
      calls.push(entry);
    }
  }
  const skuIds = [...new Set(calls.flatMap(({ call }) => skuIdsOf(call.input)))];
  const [found, ledgers] = await Promise.all([
    Promise.all(calls.map(({ call }) => store.getUser(tenantId, call.userId, { cached }))),
    readLedgers(store, tenantId, skuIds, { cached }),
  ]);
  // The ledgers as the calls accepted so far leave them (their ETags stay those read).
  const seats = new Map(ledgers);
  const now = clock.now().toISOString();
  const answered = new Map<number, ItemOutcome<AssignLicenseResult>>();
  const accepted: Accepted[] = [];
  // Every ledger write goes in once, whatever the number of calls.
  let actions = skuIds.length;
  for (const [i, entry] of calls.entries()) {
    const { actor, userId, input } = entry.call;
    let decided: {
      readonly user: NonNullable<(typeof found)[number]>;
      readonly change: ReturnType<typeof planLicenseChange>;
      readonly ledgerWrites: readonly TenantWrite[];
      readonly seatChanges: readonly SeatChange[];
    };
    try {
      decided = await refuseOnlyWhenFresh(cached, async () => {
        const user = found[i];
        if (!user || user.value.deletedAt) throw notFound(`User ${userId}`);
        const change = planLicenseChange({
          user: user.value,
          addLicenses: input.addLicenses,
          removeLicenses: input.removeLicenses,
          mayLicenseGuests: hasRight(actor.roles, "licenseGuests"),
          selfServiceSubscriptionIds: await selfServiceSubscriptionIds(
            store,
            tenantId,
            user.value.assignedLicenses,
          ),
          now,
          newPlanStatus: "PendingProvisioning",
        });
        const { writes, seatChanges } = licenseWrites([{ userId, change }], seats);
        return { user, change, ledgerWrites: writes, seatChanges };
      });
    } catch (error) {
      // This call's own refusal (decided on fresh records): the others go on without it.
      if (error instanceof ProblemError && error.isCallersMistake) {
        answered.set(entry.index, { ok: false, error });
        continue;
      }
      throw error;
    }
    const { user, change, ledgerWrites, seatChanges } = decided;
    const before = user.value;
    if (change.added.length + change.removed.length + change.plansChanged.length === 0) {
      const value = { user: before, etag: user.etag, seatChanges, dryRun: false };
      answered.set(entry.index, { ok: true, value });
      continue;
    }
    const {
      users: [withdrawn],
      audit: provisioned,
    } = withdrawOnCommit(deps, tenantId, new Date(now), [
      { before, licensed: { ...before, assignedLicenses: change.assignedLicenses } },
    ]);
    if (!withdrawn) throw new Error("withdrawOnCommit answered no user for the one it was given");
    const { after } = withdrawn;
    const userWrite: TenantWrite = { kind: "updateUser", user: after, etag: user.etag };
    const writes: TenantWrite[] = [
      userWrite,
      ...ledgerWrites.filter((w) => w.kind !== "putLedger"),
      auditWrite(
        deps,
        actor,
        now,
        "assignLicense",
        `user/${userId}`,
        before.assignedLicenses,
        after.assignedLicenses,
      ),
      ...provisioned,
    ];
    const events = licenseEvents(deps, tenantId, userId, change, now);
    const cost = actionCount(writes) + events.length;
    if (actions + cost > maxActionsPerCommit && accepted.length > 0) {
      // No room left in this transaction: this call and the rest wait for the next one.
      deferred.push(...calls.slice(i));
      break;
    }
    actions += cost;
    for (const w of ledgerWrites) {
      const read = w.kind === "putLedger" ? ledgers.get(w.ledger.skuId) : undefined;
      if (w.kind === "putLedger" && read) seats.set(w.ledger.skuId, { value: w.ledger, etag: read.etag });
    }
    accepted.push({ ...entry, userWrite, writes, events, after, seatChanges, retained: { before, after } });
  }
  if (accepted.length > 0) {
    await scheduleRetention(
      deps.retention,
      tenantId,
      accepted.map((a) => a.retained),
    );
    // The ledgers once, as all the accepted calls together leave them.
    const ledgerWrites = [...seats].flatMap(([skuId, ledger]) => {
      const read = ledgers.get(skuId);
      return ledger && read && ledger.value !== read.value
        ? [{ kind: "putLedger" as const, ledger: ledger.value, etag: read.etag }]
        : [];
    });
    const versions = await deps.outbox.commit(
      tenantId,
      [...ledgerWrites, ...accepted.flatMap((a) => a.writes)],
      accepted.flatMap((a) => a.events),
    );
    for (const a of accepted) {
      const value = {
        user: a.after,
        etag: writtenVersion(versions, a.userWrite),
        seatChanges: a.seatChanges,
      };
      answered.set(a.index, { ok: true, value: { ...value, dryRun: false } });
    }
  }
  return { answered, deferred };
}
