// The license-change pipeline: every way into a user's licenses (assignLicense alone or in a group,
// $batch, the product routes, bulk chunks, createUser, producers' events) hands its requests to
// one round: read, `decide` each in order against the seats the ones before it took, confirm what
// will not be committed, and `commit` as many as one transaction holds. The rest wait for the
// next round. Nothing else writes a user's licenses.
import { retryOnConflict } from "../../concurrency/retry-on-conflict.js";
import { findProduct } from "../../domain/catalog.js";
import type { Subscription, User } from "../../domain/model.js";
import type { ProblemError } from "../../domain/problem.js";
import type { Deps } from "../deps.js";
import {
  ConcurrencyConflict,
  maxActionsPerCommit,
  type TenantRecordsPort,
  type TenantWrite,
  type Versioned,
  type WrittenVersions,
} from "../ports.js";
import { writtenVersion } from "../steps/versions.js";
import {
  actionsOf,
  buildTransaction,
  type CommitStyle,
  commitTransaction,
  type Ledgers,
  type Transaction,
} from "./commit.js";
import {
  type Decision,
  decide,
  type LicenseRequest,
  type ProvisionMode,
  restsOnSeats,
  type SeatBook,
  type SeatChange,
  wantedOf,
} from "./decide.js";
import { readLedgers, readSubscriptions, readUsers } from "./reads.js";

export interface RoundOptions extends CommitStyle {
  readonly provision: ProvisionMode;
  /** Decide and answer, write nothing. */
  readonly dryRun?: boolean;
}

/** One request's answer: the user as written (or as found, when nothing was to do), or its refusal. */
export type Outcome =
  | {
      readonly ok: true;
      readonly changed: boolean;
      readonly user: User;
      /** The stored version: as written, or as read when nothing was written. Absent for a dry run of a new user. */
      readonly etag: string | undefined;
      readonly seatChanges: readonly SeatChange[];
    }
  | { readonly ok: false; readonly error: ProblemError };

export interface Attempt extends RoundOptions {
  /** May the users and ledgers come from this process's cache (a first try)? What is answered from them is confirmed. */
  readonly cached: boolean;
  /** Users read before the round (a bulk chunk's range read): as good as cached copies. */
  readonly users?: ReadonlyMap<string, Versioned<User> | undefined> | undefined;
  /** More writes for the round's transaction, given the requests it decided (a bulk chunk's progress). */
  readonly extra?: ((decided: readonly Decision[]) => readonly TenantWrite[]) | undefined;
}

export interface Round {
  /** The decisions of the requests this round took, a prefix of those given, in order. */
  readonly decided: readonly Decision[];
  /** Their answers, in the same order. */
  readonly outcomes: readonly Outcome[];
  /** The versions the round's commit wrote, by write (the caller's extra writes too). */
  readonly versions: WrittenVersions;
}

/** The catalog's spelling of the products a change names (unknown ones are refused by decide). */
const skuIdsOf = (input: { addLicenses: readonly { skuId: string }[]; removeLicenses: readonly string[] }) =>
  [...input.addLicenses.map((l) => l.skuId), ...input.removeLicenses].flatMap(
    (skuId) => findProduct(skuId)?.skuId ?? [],
  );

/**
 * An answer that commits nothing (a refusal, "nothing to do") is given only on records read
 * together: the user (and, for a refusal that rests on seats, the ledgers and subscriptions) is
 * read again, and a version that moved since the decision makes the round start over on fresh
 * reads. Each record unchanged from its first read to its second means all held at one moment.
 */
async function confirm(
  store: TenantRecordsPort,
  tenantId: string,
  decided: readonly Decision[],
  read: {
    readonly ledgers: Ledgers;
    readonly subscriptions: ReadonlyMap<string, Versioned<Subscription> | undefined>;
  },
  cached: boolean,
): Promise<void> {
  const users = new Map<string, string | undefined>();
  let seats = false;
  for (const decision of decided) {
    if (decision.kind === "changed" || decision.request.creating) {
      // A change is guarded by its commit; a new user's refusal rests only on the seats.
      if (restsOnSeats(decision)) seats = true;
      continue;
    }
    if (cached || restsOnSeats(decision)) users.set(decision.request.userId, decision.user?.etag);
    if (restsOnSeats(decision)) seats = true;
  }
  const ledgers = seats ? [...read.ledgers] : [];
  const subscriptions = seats ? [...read.subscriptions] : [];
  if (users.size + ledgers.length + subscriptions.length === 0) return;
  const [usersNow, ledgersNow, subscriptionsNow] = await Promise.all([
    readUsers(store, tenantId, [...users.keys()], false),
    Promise.all(ledgers.map(([skuId]) => store.getLedger(tenantId, skuId))),
    Promise.all(subscriptions.map(([id]) => store.getSubscription(tenantId, id))),
  ]);
  const moved =
    [...users].some(([id, etag]) => usersNow.get(id)?.etag !== etag) ||
    ledgers.some(([, was], i) => ledgersNow[i]?.etag !== was?.etag) ||
    subscriptions.some(([, was], i) => subscriptionsNow[i]?.etag !== was?.etag);
  if (moved) throw new ConcurrencyConflict("an answer that writes nothing was decided on records that moved");
}

/** The longest prefix of `decided` whose transaction fits one commit (at least one decision). */
function fitting(
  decided: readonly Decision[],
  build: (prefix: readonly Decision[]) => Transaction,
): { prefix: readonly Decision[]; transaction: Transaction } {
  let prefix = decided;
  let transaction = build(prefix);
  while (actionsOf(transaction) > maxActionsPerCommit && prefix.length > 1) {
    const estimate = Math.floor((prefix.length * maxActionsPerCommit) / actionsOf(transaction));
    prefix = prefix.slice(0, Math.max(1, Math.min(prefix.length - 1, estimate)));
    transaction = build(prefix);
  }
  return { prefix, transaction };
}

const outcomeOf = (
  decision: Decision,
  transaction: Transaction | undefined,
  versions: ReadonlyMap<TenantWrite, string>,
): Outcome => {
  switch (decision.kind) {
    case "refused":
      return { ok: false, error: decision.error };
    case "unchanged":
      return {
        ok: true,
        changed: false,
        user: decision.user.value,
        etag: decision.user.etag,
        seatChanges: [],
      };
    case "changed": {
      const write = transaction?.userWrites.get(decision);
      const etag = write ? writtenVersion(versions, write) : decision.etag;
      return { ok: true, changed: true, user: decision.after, etag, seatChanges: decision.seatChanges };
    }
  }
};

/**
 * One try of one round for requests of one tenant: decides them in order (a second request for a
 * user already in the round ends it) and commits those that fit one transaction. Throws
 * ConcurrencyConflict when another writer got in first; the caller tries again.
 */
export async function attemptRound(
  deps: Deps,
  tenantId: string,
  requests: readonly LicenseRequest[],
  attempt: Attempt,
): Promise<Round> {
  const { store, clock } = deps;
  const seen = new Set<string>();
  const taken: LicenseRequest[] = [];
  for (const request of requests) {
    if (seen.has(request.userId)) break;
    seen.add(request.userId);
    taken.push(request);
  }
  const cached = attempt.cached || attempt.users !== undefined;
  const existing = taken.filter((r) => !r.creating).map((r) => r.userId);
  // One round trip for what is known before the users are read: the products fixed requests name.
  const named = taken.flatMap((r) => [
    ...(typeof r.wanted === "function" ? [] : skuIdsOf(r.wanted)),
    ...(r.grants ?? []).flatMap((grant) => grant.licenses.map((l) => l.skuId)),
  ]);
  const [users, early, organization] = await Promise.all([
    attempt.users && existing.every((id) => attempt.users?.has(id))
      ? attempt.users
      : readUsers(store, tenantId, existing, attempt.cached),
    readLedgers(store, tenantId, named, attempt.cached),
    store.getOrganization(tenantId, { cached: attempt.cached }),
  ]);
  const userOf = (r: LicenseRequest) => r.creating ?? users.get(r.userId)?.value;
  const more = taken.flatMap((r) => {
    const user = userOf(r);
    if (!user) return [];
    // What a user's groups give may go (a member leaving) or wait for seats: their ledgers count it.
    const sourced =
      r.membership || r.grants || user.licenseSources
        ? [...user.assignedLicenses.map((l) => l.skuId), ...(user.licenseSources ?? []).map((s) => s.skuId)]
        : [];
    const wanted = typeof r.wanted === "function" ? skuIdsOf(wantedOf(r, user)) : [];
    return [...new Set([...wanted, ...sourced])].filter((s) => !early.has(s));
  });
  const [late, subscriptions] = await Promise.all([
    readLedgers(store, tenantId, more, attempt.cached),
    readSubscriptions(store, tenantId, taken.map(userOf)),
  ]);
  const ledgers: Ledgers = new Map([...early, ...late]);
  const now = clock.now().toISOString();
  const context = {
    now,
    selfServiceSubscriptionIds: new Set(
      [...subscriptions.values()].flatMap((s) =>
        s?.value.purchaseChannel === "SelfService" ? [s.value.id] : [],
      ),
    ),
    provision: attempt.provision,
    retentionPeriodMs: deps.retentionPeriodMs,
    newId: deps.newId,
    defaultUsageLocation: organization ? organization.value.countryLetterCode : undefined,
  };
  const book: SeatBook = new Map(
    [...ledgers].flatMap(([skuId, l]) => (l ? [[skuId, l.value] as const] : [])),
  );
  const all = taken.map((request) => decide(request, users.get(request.userId), book, context));
  const style = { ...attempt, provisioned: attempt.provision === "full", now };
  const build = (prefix: readonly Decision[]) =>
    buildTransaction(deps, tenantId, prefix, ledgers, style, attempt.extra?.(prefix) ?? []);
  if (attempt.dryRun) {
    await confirm(store, tenantId, all, { ledgers, subscriptions }, cached);
    return {
      decided: all,
      outcomes: all.map((d) => outcomeOf(d, undefined, new Map())),
      versions: new Map(),
    };
  }
  const { prefix, transaction } = fitting(all, build);
  await confirm(store, tenantId, prefix, { ledgers, subscriptions }, cached);
  const versions: WrittenVersions =
    transaction.writes.length > 0 ? await commitTransaction(deps, tenantId, transaction) : new Map();
  return { decided: prefix, outcomes: prefix.map((d) => outcomeOf(d, transaction, versions)), versions };
}

/**
 * Runs requests through as many rounds as they need, each retried on fresh reads when another
 * writer got in first; the first try of each may use this process's cached copies.
 */
export async function changeLicenses(
  deps: Deps,
  tenantId: string,
  requests: readonly LicenseRequest[],
  options: RoundOptions,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let rest = requests;
  while (rest.length > 0) {
    const pending = rest;
    const round = await retryOnConflict((tries) =>
      attemptRound(deps, tenantId, pending, { ...options, cached: tries === 1 && !options.dryRun }),
    );
    outcomes.push(...round.outcomes);
    rest = rest.slice(round.decided.length);
  }
  return outcomes;
}
