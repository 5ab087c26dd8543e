// Group-based licensing under any interleaving (issue 19's property): membership changes, group
// license changes, direct assignments, seat changes, deletions and restores, some at once and some
// through a second process, with the queue's messages delivered late, out of order or twice. Once
// the queue runs dry: seats consumed = users holding the product = holder rows, never above the
// seats; every member's entries are what its groups give now; what is given is what is held; no
// one waits for a seat that is free; the index of members in error is the entries in error.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CloudEvent } from "../../shared/domain/events.js";
import { effectiveLicenses, groupErrors, sourcesOf } from "../../shared/domain/license-sources.js";
import type { User } from "../../shared/domain/model.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { adminAvailable, emptyLedger } from "../../shared/domain/seats.js";
import { addGroupMember } from "../../shared/usecases/add-group-member.js";
import { assignLicense } from "../../shared/usecases/assign-licenses.js";
import { buySubscription } from "../../shared/usecases/buy-subscription.js";
import { changeSubscription } from "../../shared/usecases/change-subscription.js";
import { createGroup } from "../../shared/usecases/create-group.js";
import { deleteUser } from "../../shared/usecases/delete-user.js";
import { assignGroupLicense, reprocessLicenses } from "../../shared/usecases/group-licenses.js";
import { handleQueueMessage } from "../../shared/usecases/handle-queue-message.js";
import { readJob } from "../../shared/usecases/read-job.js";
import { getSubscribedSku, listSubscribedSkus } from "../../shared/usecases/read-subscribed-skus.js";
import { removeGroupMember } from "../../shared/usecases/remove-group-member.js";
import { restoreUser } from "../../shared/usecases/restore-user.js";
import { plans, skus } from "../support/catalog-ids.js";
import { anotherProcess, type InMemoryWorld } from "../support/in-memory-ports.js";
import { addUser, admin, buySeats, expectProblem, tenantId, type World, world } from "./usecases/fixture.js";

interface License {
  readonly skuId: string;
  readonly disabledPlans: readonly string[];
}

// E3 with its Exchange plan on cannot go with Exchange Online (Plan 1) (MutuallyExclusiveViolation);
// Apps for business without OneDrive leaves Office for the web nothing to open unless E3's SharePoint
// is on (DependencyViolation); the other variants get along.
// The Calling Plan is not bought at first: members wait for seats of a product without a ledger.
const products = [skus.e3, skus.appsForBusiness, skus.exchangePlan1] as const;
const later = skus.domesticCallingPlan;
const variants: readonly License[] = [
  { skuId: skus.e3, disabledPlans: [] },
  { skuId: skus.e3, disabledPlans: [plans.EXCHANGE_S_ENTERPRISE.servicePlanId] },
  { skuId: skus.e3, disabledPlans: [plans.EXCHANGE_S_ENTERPRISE.servicePlanId, plans.SWAY.servicePlanId] },
  { skuId: skus.appsForBusiness, disabledPlans: [] },
  { skuId: skus.appsForBusiness, disabledPlans: [plans.ONEDRIVESTANDARD.servicePlanId] },
  { skuId: skus.exchangePlan1, disabledPlans: [] },
  { skuId: later, disabledPlans: [] },
];

type Process = 0 | 1;
type Step =
  | { kind: "member"; process: Process; group: number; user: number; join: boolean }
  | { kind: "groupLicense"; process: Process; group: number; add: License[]; remove: string[] }
  | { kind: "direct"; process: Process; user: number; license: License; op: "add" | "remove" }
  | { kind: "seats"; process: Process; skuId: string; seats: number }
  | { kind: "buy"; process: Process; seats: number }
  | { kind: "delete" | "restore"; process: Process; user: number }
  | { kind: "deliver"; picks: number[]; twice: boolean }
  | { kind: "redeliver"; pick: number };

interface Scenario {
  readonly users: number;
  readonly groups: number;
  readonly seats: readonly number[];
  readonly batches: readonly (readonly Step[])[];
}

const processArb = fc.constantFrom<Process>(0, 1);
const variantArb = fc.constantFrom(...variants);
const stepArb = (users: number, groups: number): fc.Arbitrary<Step> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("member" as const),
        process: processArb,
        group: fc.nat(groups - 1),
        user: fc.nat(users - 1),
        join: fc.constantFrom(true, true, false),
      }),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({
          kind: fc.constant("groupLicense" as const),
          process: processArb,
          group: fc.nat(groups - 1),
          add: fc.uniqueArray(variantArb, { selector: (l) => l.skuId, maxLength: 2 }),
          remove: fc.subarray([...products, later], { maxLength: 2 }),
        })
        .map((s) => ({ ...s, remove: s.remove.filter((skuId) => !s.add.some((l) => l.skuId === skuId)) })),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("direct" as const),
        process: processArb,
        user: fc.nat(users - 1),
        license: variantArb,
        op: fc.constantFrom<"add" | "remove">("add", "add", "remove"),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("seats" as const),
        process: processArb,
        skuId: fc.constantFrom(...products),
        seats: fc.integer({ min: 0, max: 4 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("buy" as const),
        process: processArb,
        seats: fc.integer({ min: 1, max: 2 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constantFrom<"delete" | "restore">("delete", "restore"),
        process: processArb,
        user: fc.nat(users - 1),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant("deliver" as const),
        picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 4 }),
        twice: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("redeliver" as const), pick: fc.nat(200) }) },
  );

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    users: fc.integer({ min: 4, max: 6 }),
    groups: fc.integer({ min: 2, max: 3 }),
    seats: fc.array(fc.integer({ min: 1, max: 3 }), {
      minLength: products.length,
      maxLength: products.length,
    }),
  })
  .chain(({ users, groups, seats }) =>
    fc
      .array(fc.array(stepArb(users, groups), { minLength: 1, maxLength: 3 }), {
        minLength: 1,
        maxLength: 24,
      })
      .map((batches) => ({ users, groups, seats, batches })),
  );

/** A tenant seen by two processes, with the queue's messages in our hands. */
interface Tenant {
  readonly w: World;
  readonly processes: readonly [InMemoryWorld, InMemoryWorld];
  readonly userIds: string[];
  readonly groupIds: string[];
  readonly subscriptions: Map<string, string>;
  /** Published, not yet delivered. */
  readonly pending: CloudEvent[];
  /** Delivered at least once: a redelivery picks from them. */
  readonly delivered: CloudEvent[];
}

async function arrange(scenario: Scenario): Promise<Tenant> {
  const w = world();
  const processes = [w, anotherProcess(w, w.clock)] as const;
  const subscriptions = new Map<string, string>();
  for (const [i, skuId] of products.entries()) {
    subscriptions.set(skuId, (await buySeats(w, skuId, scenario.seats[i] ?? 1)).id);
  }
  const userIds: string[] = [];
  for (let i = 0; i < scenario.users; i++) userIds.push((await addUser(w, `user${i}`)).id);
  const groupIds: string[] = [];
  for (let i = 0; i < scenario.groups; i++) {
    const name = `Group${i}`;
    const group = await createGroup(w.deps, admin, { displayName: name, mailNickname: name.toLowerCase() });
    groupIds.push(group.value.id);
  }
  return { w, processes, userIds, groupIds, subscriptions, pending: [], delivered: [] };
}

/** What the outboxes sent, into the pool of messages not yet delivered. */
async function collect(t: Tenant): Promise<void> {
  await Promise.all(t.processes.map((p) => p.deps.outbox.flush()));
  t.pending.push(...t.w.published.splice(0));
}

/**
 * Hands a message to the worker as the queue does. A rejection (dead-lettered, its work lost) or an
 * unexpected error fails the property; a lost race that ran out of tries is delivered again later.
 */
async function deliver(t: Tenant, process: Process, event: CloudEvent): Promise<void> {
  try {
    await handleQueueMessage(t.processes[process].deps, event);
    t.delivered.push(event);
  } catch (error) {
    if (error instanceof ProblemError && error.code === "TooManyRequests") {
      t.pending.push(event);
      return;
    }
    throw new Error(`${event.type} ${JSON.stringify(event.data)} failed: ${String(error)}`);
  }
}

/** Delivers every message, new ones included, until none is left. */
async function drain(t: Tenant): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await collect(t);
    if (t.pending.length === 0) return;
    for (const event of t.pending.splice(0)) await deliver(t, 0, event);
  }
  throw new Error("the queue never ran dry");
}

async function run(t: Tenant, step: Step): Promise<unknown> {
  if (step.kind === "deliver") {
    await collect(t);
    const picked = [...new Set(step.picks.map((i) => i % Math.max(1, t.pending.length)))]
      .sort((a, b) => b - a)
      .flatMap((i) => t.pending.splice(i, 1));
    // Out of order: the picks came last first.
    for (const event of picked) {
      await deliver(t, 0, event);
      if (step.twice) await deliver(t, 1, event);
    }
    return;
  }
  if (step.kind === "redeliver") {
    const event = t.delivered[step.pick % Math.max(1, t.delivered.length)];
    if (event) await deliver(t, 1, event);
    return;
  }
  const { deps } = t.processes[step.process];
  const user = (i: number) => t.userIds[i] ?? "";
  const group = (i: number) => t.groupIds[i] ?? "";
  switch (step.kind) {
    case "member":
      return step.join
        ? addGroupMember(deps, admin, group(step.group), { set: "directoryObjects", key: user(step.user) })
        : removeGroupMember(deps, admin, group(step.group), user(step.user));
    case "groupLicense":
      return assignGroupLicense(deps, admin, group(step.group), {
        addLicenses: step.add,
        removeLicenses: step.remove,
      });
    case "direct":
      return assignLicense(
        deps,
        admin,
        user(step.user),
        step.op === "add"
          ? { addLicenses: [step.license], removeLicenses: [] }
          : { addLicenses: [], removeLicenses: [step.license.skuId] },
        { dryRun: false },
      );
    case "seats":
      return changeSubscription(deps, admin, t.subscriptions.get(step.skuId) ?? "", {
        kind: "update",
        seats: step.seats,
      });
    case "buy":
      return buySubscription(deps, admin, { skuId: later, seats: step.seats, purchaseChannel: "Admin" });
    case "delete":
      return deleteUser(deps, admin, user(step.user));
    case "restore":
      return restoreUser(deps, admin, user(step.user));
  }
}

/** Runs the scenario's batches (the steps of one at once), then drains the queue. */
async function play(t: Tenant, scenario: Scenario): Promise<void> {
  for (const batch of scenario.batches) {
    const settled = await Promise.allSettled(batch.map((step) => run(t, step)));
    for (const [i, result] of settled.entries()) {
      // A refusal is a problem the caller can act on, never anything else.
      if (result.status === "rejected" && !(result.reason instanceof ProblemError)) {
        throw new Error(`${JSON.stringify(batch[i])} threw ${String(result.reason)}`, {
          cause: result.reason,
        });
      }
    }
    t.w.clock.advance(1000);
  }
  await drain(t);
}

const sorted = (xs: Iterable<string>) => [...xs].sort();
const licenseKey = (l: License) => `${l.skuId}:${sorted(l.disabledPlans).join(",")}`;

/** The invariants once the queue is dry; throws what is wrong. */
async function expectSettled(t: Tenant): Promise<void> {
  const { store } = t.w.deps;
  const users = new Map<string, User>();
  for (const id of t.userIds) {
    const found = await store.getUser(tenantId, id);
    if (!found) throw new Error(`no user ${id}`);
    users.set(id, found.value);
  }
  const groups = new Map(
    await Promise.all(
      t.groupIds.map(async (id) => {
        const found = await store.getGroup(tenantId, id);
        if (!found) throw new Error(`no group ${id}`);
        return [id, found.value] as const;
      }),
    ),
  );
  const ledgers = new Map((await store.listLedgers(tenantId)).map((l) => [l.skuId, l] as const));

  // Seats: consumed = users holding the product = holder rows, never above the seats.
  for (const skuId of [...products, later]) {
    const ledger = ledgers.get(skuId) ?? emptyLedger(skuId);
    const holding = [...users.values()].filter((u) => u.assignedLicenses.some((l) => l.skuId === skuId));
    expect(ledger.consumed, `consumed of ${skuId}`).toBe(holding.length);
    expect(sorted(await store.listAllHolderIds(tenantId, skuId)), `holders of ${skuId}`).toEqual(
      sorted(holding.map((u) => u.id)),
    );
    expect(adminAvailable(ledger), `seats left of ${skuId}`).toBeGreaterThanOrEqual(0);
  }

  const errorRows = await store.listLicenseErrors(tenantId);
  const kept: string[] = [];
  for (const user of users.values()) {
    const label = `user ${user.id}`;
    // Memberships: the user's own list is the membership rows.
    const rows = await store.listMemberOfIds(tenantId, user.id, { top: 100 });
    expect(sorted((user.memberOf ?? []).map((m) => m.groupId)), `${label} memberOf`).toEqual(
      sorted(rows.items),
    );
    const sources = sourcesOf(user);
    const mine = errorRows.filter((e) => e.userId === user.id);
    if (user.deletedAt) {
      expect(user.assignedLicenses, `${label} deleted holds nothing`).toEqual([]);
      expect(mine, `${label} deleted is in no error index`).toEqual([]);
      continue;
    }
    // Every group the user is in gives exactly what it carries now; no other group gives anything.
    for (const groupId of t.groupIds) {
      const given = sources.filter((s) => s.groupId === groupId).map(licenseKey);
      const isMember = (user.memberOf ?? []).some((m) => m.groupId === groupId);
      const carried = isMember ? (groups.get(groupId)?.assignedLicenses ?? []).map(licenseKey) : [];
      if (isMember && JSON.stringify(sorted(given)) !== JSON.stringify(sorted(carried))) {
        // Only as Entra keeps them: what the group gives now would break a license given directly.
        kept.push(user.id);
      } else expect(sorted(given), `${label} entries of group ${groupId}`).toEqual(sorted(carried));
    }
    // What is given is what is held, plans on when any source turns them on.
    expect(
      sorted(user.assignedLicenses.map(licenseKey)),
      `${label} holds what its given entries add up to`,
    ).toEqual(sorted(effectiveLicenses(sources).map(licenseKey)));
    // Nobody waits for a seat that is free: some product of the group is not held and has no seat.
    const held = new Set(user.assignedLicenses.map((l) => l.skuId));
    for (const [groupId, error] of groupErrors(sources)) {
      if (error.error !== "CountViolation") continue;
      const short = error.skuIds.filter((skuId) => {
        const ledger = ledgers.get(skuId);
        return !held.has(skuId) && (!ledger || adminAvailable(ledger) <= 0);
      });
      expect(
        short,
        `${label} waits for group ${groupId} (${error.skuIds.join(", ")}) with seats free`,
      ).not.toEqual([]);
    }
    // The index of members in error is the entries in error.
    expect(
      sorted(mine.map((e) => `${e.groupId}:${e.error}:${sorted(e.skuIds).join(",")}:${e.since}`)),
      `${label} license error index`,
    ).toEqual(
      sorted(
        [...groupErrors(sources)].map(
          ([groupId, e]) => `${groupId}:${e.error}:${sorted(e.skuIds).join(",")}:${e.since}`,
        ),
      ),
    );
  }
  // Last, as it writes what it can: a member whose entries lag behind their groups cannot be brought up to date.
  for (const userId of new Set(kept)) {
    const refusal = await reprocessLicenses(t.w.deps, admin, userId).catch((e: unknown) => e);
    expect(refusal, `user ${userId} lags behind their groups`).toBeInstanceOf(ProblemError);
  }
}

const appsWithoutOneDrive: License = {
  skuId: skus.appsForBusiness,
  disabledPlans: [plans.ONEDRIVESTANDARD.servicePlanId],
};
const apps: License = { skuId: skus.appsForBusiness, disabledPlans: [] };
const exchange: License = { skuId: skus.exchangePlan1, disabledPlans: [] };

/** One user in two groups: the first gives Apps for business, the second the same without OneDrive. */
async function oneDriveFromTheFirstGroup(): Promise<Tenant> {
  const t = await arrange({ users: 1, groups: 2, seats: [1, 1, 1], batches: [] });
  for (const group of [0, 1]) await run(t, { kind: "member", process: 0, group, user: 0, join: true });
  await run(t, { kind: "groupLicense", process: 0, group: 0, add: [apps], remove: [] });
  await run(t, { kind: "groupLicense", process: 0, group: 1, add: [appsWithoutOneDrive], remove: [] });
  await drain(t);
  return t;
}

const entriesOf = async (t: Tenant) =>
  sourcesOf((await t.w.deps.store.getUser(tenantId, t.userIds[0] ?? ""))?.value as User).map((s) => [
    t.groupIds.indexOf(s.groupId ?? ""),
    s.skuId,
    s.error,
  ]);

describe("a group taking away what another group's license depends on", () => {
  it("takes the license off the group's members and holds back the other group's, which needs it", async () => {
    const t = await oneDriveFromTheFirstGroup();
    expect(await entriesOf(t)).toEqual([
      [0, skus.appsForBusiness, null],
      [1, skus.appsForBusiness, null],
    ]);

    await run(t, { kind: "groupLicense", process: 0, group: 0, add: [], remove: [skus.appsForBusiness] });
    await drain(t);

    expect(await entriesOf(t)).toEqual([[1, skus.appsForBusiness, "DependencyViolation"]]);
    await expectSettled(t);
  });

  it("lets the member leave the group, holding back the other group's license that needs what it gave", async () => {
    const t = await oneDriveFromTheFirstGroup();

    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: false });
    await drain(t);

    expect(await entriesOf(t)).toEqual([[1, skus.appsForBusiness, "DependencyViolation"]]);
    await expectSettled(t);
  });
});

describe("a group taking away what a direct license depends on", () => {
  /** One user with E3 from a group and Apps for business without OneDrive directly (E3's SharePoint serves it). */
  async function sharePointFromTheGroup(): Promise<Tenant> {
    const t = await arrange({ users: 1, groups: 1, seats: [1, 1, 1], batches: [] });
    await run(t, { kind: "groupLicense", process: 0, group: 0, add: [variants[0] as License], remove: [] });
    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: true });
    await run(t, { kind: "direct", process: 0, user: 0, license: appsWithoutOneDrive, op: "add" });
    await drain(t);
    return t;
  }

  it("refuses the member's leaving with the reason rather than answering done and keeping them", async () => {
    const t = await sharePointFromTheGroup();

    const refusal = await run(t, { kind: "member", process: 0, group: 0, user: 0, join: false }).catch(
      (e: unknown) => e,
    );

    expect(refusal).toMatchObject({ code: "DependencyViolation", status: 409 });
    expect(await entriesOf(t)).toEqual([
      [0, skus.e3, null],
      [-1, skus.appsForBusiness, null],
    ]);
    await expectSettled(t);
  });

  it("keeps what the member holds when the group's new licenses cannot be given without breaking it", async () => {
    const t = await sharePointFromTheGroup();

    // E3's Exchange and Exchange Online (Plan 1) cannot go together: the group's products are held
    // back, and without E3 the direct license would lose the SharePoint it needs.
    await run(t, { kind: "groupLicense", process: 0, group: 0, add: [exchange], remove: [] });
    await drain(t);

    expect(await entriesOf(t)).toEqual([
      [0, skus.e3, null],
      [-1, skus.appsForBusiness, null],
    ]);
    // The group's job says why (membersWithLicenseErrors does not: no entry of the group is in error).
    const group = await t.w.deps.store.getGroup(tenantId, t.groupIds[0] ?? "");
    const job = await readJob(t.w.deps, tenantId, group?.value.licenseJobId ?? "");
    expect(job.results).toEqual([
      expect.objectContaining({ userId: t.userIds[0], outcome: "Failed", code: "DependencyViolation" }),
    ]);
    await expectSettled(t);
  });
});

describe("a product's first purchase while members start waiting for it", () => {
  /** A group carrying the Calling Plan, never bought yet, and a user to join it. */
  async function callingPlanGroup(): Promise<Tenant> {
    const t = await arrange({ users: 1, groups: 1, seats: [1, 1, 1], batches: [] });
    await run(t, {
      kind: "groupLicense",
      process: 0,
      group: 0,
      add: [{ skuId: later, disabledPlans: [] }],
      remove: [],
    });
    return t;
  }

  it("gives the seat to a member who joined while the other process bought it", async () => {
    const t = await callingPlanGroup();
    // The member's round found no seat of the product; the purchase commits before it does.
    const commit = t.w.records.commit.bind(t.w.records);
    let bought = false;
    t.w.records.commit = async (id, writes) => {
      if (!bought && writes.some((write) => write.kind === "addMember")) {
        bought = true;
        await run(t, { kind: "buy", process: 1, seats: 1 });
      }
      return commit(id, writes);
    };

    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: true });
    await drain(t);

    expect(bought).toBe(true);
    expect(await entriesOf(t)).toEqual([[0, later, null]]);
    await expectSettled(t);
  });

  it("counts the members waiting for a product never bought without showing it as subscribed", async () => {
    const t = await callingPlanGroup();
    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: true });

    expect(await entriesOf(t)).toEqual([[0, later, "CountViolation"]]);
    expect((await t.w.deps.store.getLedger(tenantId, later))?.value.waiting).toBe(1);
    expect((await listSubscribedSkus(t.w.deps, tenantId)).map((s) => s.product.skuId)).not.toContain(later);
    await expectProblem(getSubscribedSku(t.w.deps, tenantId, later), "NotFound");

    await run(t, { kind: "buy", process: 0, seats: 1 });
    await drain(t);
    expect(await entriesOf(t)).toEqual([[0, later, null]]);
    await expectSettled(t);
  });
});

describe("a late message of a group's older licenses", () => {
  it("gives nothing to a member who left and joined again while the group carried no licenses", async () => {
    const t = await arrange({ users: 1, groups: 1, seats: [1, 1, 1], batches: [] });
    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: true });
    await run(t, { kind: "groupLicense", process: 0, group: 0, add: [apps], remove: [] });
    await collect(t);
    const firstJob = t.pending.splice(0);
    await run(t, { kind: "groupLicense", process: 0, group: 0, add: [], remove: [skus.appsForBusiness] });
    await drain(t);
    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: false });
    await run(t, { kind: "member", process: 0, group: 0, user: 0, join: true });
    await drain(t);

    for (const event of firstJob) await deliver(t, 0, event);
    await drain(t);

    expect(await entriesOf(t)).toEqual([]);
    await expectSettled(t);
  });
});

describe("group-based licensing under any interleaving (property)", () => {
  it("keeps seats, holders, entries and the error index in step with the groups each user is in", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const t = await arrange(scenario);
        await play(t, scenario);
        await expectSettled(t);
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
