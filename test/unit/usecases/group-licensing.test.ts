// Group-based licensing on in-memory ports (issue 19): members inherit a group's licenses through
// the license pipeline — one seat per product however many sources give it, direct and inherited
// told apart, inherited ones not removable through the user, all or nothing per group and member,
// members waiting for seats served as soon as seats free, and the queue's work drained as the
// worker would.
import { describe, expect, it } from "vitest";
import { assignmentState, sourcesOf } from "../../../shared/domain/license-sources.js";
import type { User } from "../../../shared/domain/model.js";
import { addGroupMember } from "../../../shared/usecases/add-group-member.js";
import { assignLicense } from "../../../shared/usecases/assign-licenses.js";
import { changeSubscription } from "../../../shared/usecases/change-subscription.js";
import { createGroup } from "../../../shared/usecases/create-group.js";
import { deleteGroup } from "../../../shared/usecases/delete-group.js";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { assignGroupLicense, reprocessLicenses } from "../../../shared/usecases/group-licenses.js";
import { handleQueueMessage } from "../../../shared/usecases/handle-queue-message.js";
import {
  groupLicenseProcessing,
  listGroupsWithLicenseErrors,
  listMembersWithLicenseErrors,
} from "../../../shared/usecases/read-groups.js";
import { removeGroupMember } from "../../../shared/usecases/remove-group-member.js";
import { restoreUser } from "../../../shared/usecases/restore-user.js";
import { skus } from "../../support/catalog-ids.js";
import {
  addUser,
  admin,
  buySeats,
  consumed,
  expectProblem,
  stored,
  tenantId,
  type World,
  world,
} from "./fixture.js";

const member = (id: string) => ({ set: "directoryObjects" as const, key: id });

async function newGroup(w: World, name = "Sales") {
  return (await createGroup(w.deps, admin, { displayName: name, mailNickname: name.toLowerCase() })).value;
}

/** Hands every published event to the worker, as the queue would, until none is left. */
async function drain(w: World): Promise<void> {
  for (let round = 0; round < 50; round++) {
    await w.deps.outbox.flush();
    const events = w.published.splice(0);
    if (events.length === 0) return;
    for (const event of events) await handleQueueMessage(w.deps, event);
  }
  throw new Error("the queue never ran dry");
}

/** A user's entries as Graph shows them: product, group (null: direct), state, error. */
const entries = (user: User) => {
  const held = new Set(user.assignedLicenses.map((l) => l.skuId));
  return sourcesOf(user).map((s) => [s.skuId, s.groupId, assignmentState(s, held), s.error ?? "None"]);
};

describe("group-based licensing", () => {
  it("gives a group's licenses to its members through a job, one seat each, and shows progress", async () => {
    const w = world();
    await buySeats(w, skus.e3, 10);
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    const bo = await addUser(w, "bo");
    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    await addGroupMember(w.deps, admin, g.id, member(bo.id));

    const { value: group } = await assignGroupLicense(w.deps, admin, g.id, {
      addLicenses: [{ skuId: skus.e3 }],
      removeLicenses: [],
    });
    expect(await groupLicenseProcessing(w.deps, tenantId, group)).toMatchObject({
      state: "QueuedForProcessing",
      membersTotal: 2,
      membersProcessed: 0,
    });
    await drain(w);

    expect(await groupLicenseProcessing(w.deps, tenantId, group)).toEqual({
      state: "ProcessingComplete",
      membersTotal: 2,
      membersProcessed: 2,
      membersInError: 0,
    });
    for (const user of [ada, bo]) {
      const now = await stored(w, user.id);
      expect(now.assignedLicenses.map((l) => l.skuId)).toEqual([skus.e3]);
      expect(entries(now)).toEqual([[skus.e3, g.id, "Active", "None"]]);
    }
    expect(await consumed(w, skus.e3)).toBe(2);
  });

  it("lets a member added later inherit in the same call, and one who leaves lose what only the group gave", async () => {
    const w = world();
    await buySeats(w, skus.appsForBusiness, 10);
    await buySeats(w, skus.exchangePlan1, 10);
    const g = await newGroup(w);
    await assignGroupLicense(w.deps, admin, g.id, {
      addLicenses: [{ skuId: skus.appsForBusiness }],
      removeLicenses: [],
    });
    await buySeats(w, skus.appsForBusiness, 10);
    const ada = await addUser(w, "ada", [skus.exchangePlan1]);

    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    expect(entries(await stored(w, ada.id))).toEqual([
      [skus.exchangePlan1, null, "Active", "None"],
      [skus.appsForBusiness, g.id, "Active", "None"],
    ]);
    expect(await consumed(w, skus.appsForBusiness)).toBe(1);

    await removeGroupMember(w.deps, admin, g.id, ada.id);
    const after = await stored(w, ada.id);
    expect(after.assignedLicenses.map((l) => l.skuId)).toEqual([skus.exchangePlan1]);
    expect(after.licenseSources).toBeUndefined();
    expect(await consumed(w, skus.appsForBusiness)).toBe(0);
    expect(await consumed(w, skus.exchangePlan1)).toBe(1);
  });

  it("takes one seat for a product given directly and by two groups, with plans on when any source turns them on", async () => {
    const w = world();
    await buySeats(w, skus.e3, 10);
    const [a, b] = [await newGroup(w, "A"), await newGroup(w, "B")];
    const e3Plans = (await import("../../support/catalog-ids.js")).productOf("ENTERPRISEPACK").servicePlans;
    const [p1, p2] = [e3Plans[0]?.servicePlanId ?? "", e3Plans[1]?.servicePlanId ?? ""];
    await assignGroupLicense(w.deps, admin, a.id, {
      addLicenses: [{ skuId: skus.e3, disabledPlans: [p1, p2] }],
      removeLicenses: [],
    });
    await assignGroupLicense(w.deps, admin, b.id, {
      addLicenses: [{ skuId: skus.e3, disabledPlans: [p1] }],
      removeLicenses: [],
    });
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, a.id, member(ada.id));
    await addGroupMember(w.deps, admin, b.id, member(ada.id));
    await assignLicense(
      w.deps,
      admin,
      ada.id,
      { addLicenses: [{ skuId: skus.e3, disabledPlans: [p1, p2] }], removeLicenses: [] },
      { dryRun: false },
    );

    const user = await stored(w, ada.id);
    expect(user.assignedLicenses).toHaveLength(1);
    expect(user.assignedLicenses[0]?.disabledPlans).toEqual([p1]);
    expect(entries(user).map(([, group]) => group)).toEqual([a.id, b.id, null]);
    expect(await consumed(w, skus.e3)).toBe(1);

    // The direct one goes, the inherited stay: no seat moves.
    await assignLicense(
      w.deps,
      admin,
      ada.id,
      { addLicenses: [], removeLicenses: [skus.e3] },
      { dryRun: false },
    );
    expect(entries(await stored(w, ada.id)).map(([, group]) => group)).toEqual([a.id, b.id]);
    expect(await consumed(w, skus.e3)).toBe(1);
  });

  it("refuses to remove an inherited license through the user, with Graph's message and the group", async () => {
    const w = world();
    await buySeats(w, skus.e3, 10);
    const g = await newGroup(w);
    await assignGroupLicense(w.deps, admin, g.id, { addLicenses: [{ skuId: skus.e3 }], removeLicenses: [] });
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, g.id, member(ada.id));

    const error = await assignLicense(
      w.deps,
      admin,
      ada.id,
      { addLicenses: [], removeLicenses: [skus.e3] },
      { dryRun: false },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "ValidationFailed", status: 400 });
    expect((error as Error).message).toContain(
      "User license is inherited from group membership and cannot be removed directly from the user.",
    );
    expect((error as Error).message).toContain(`It comes from Sales (${g.id})`);
    expect(await consumed(w, skus.e3)).toBe(1);
  });

  it("holds back all of a group's products from a member when one cannot be given, and says why", async () => {
    const w = world();
    await buySeats(w, skus.appsForBusiness, 10);
    await buySeats(w, skus.exchangePlan1, 1);
    const g = await newGroup(w);
    const [ada, bo] = [await addUser(w, "ada"), await addUser(w, "bo")];
    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    await addGroupMember(w.deps, admin, g.id, member(bo.id));
    await assignGroupLicense(w.deps, admin, g.id, {
      addLicenses: [{ skuId: skus.appsForBusiness }, { skuId: skus.exchangePlan1 }],
      removeLicenses: [],
    });
    await drain(w);

    const [first, second] = [await stored(w, ada.id), await stored(w, bo.id)];
    expect(first.assignedLicenses.map((l) => l.skuId).sort()).toEqual(
      [skus.appsForBusiness, skus.exchangePlan1].sort(),
    );
    // Exchange Plan 1 has no seat left for bo: neither product of the group is given.
    expect(second.assignedLicenses).toEqual([]);
    expect(entries(second)).toEqual([
      [skus.appsForBusiness, g.id, "Error", "CountViolation"],
      [skus.exchangePlan1, g.id, "Error", "CountViolation"],
    ]);
    expect((await listMembersWithLicenseErrors(w.deps, tenantId, g.id)).map((u) => u.id)).toEqual([bo.id]);
    expect((await listGroupsWithLicenseErrors(w.deps, tenantId)).map((x) => x.id)).toEqual([g.id]);
    expect(await consumed(w, skus.appsForBusiness)).toBe(1);
    expect(w.published.some((e) => e.type === "group.licenseErrorRaised")).toBe(false); // drained
  });

  it("serves a waiting member as soon as a seat frees, oldest first, without a reprocess", async () => {
    const w = world();
    await buySeats(w, skus.e3, 1);
    const g = await newGroup(w);
    await assignGroupLicense(w.deps, admin, g.id, { addLicenses: [{ skuId: skus.e3 }], removeLicenses: [] });
    const holder = await addUser(w, "holder", [skus.e3]);
    const [ada, bo] = [await addUser(w, "ada"), await addUser(w, "bo")];
    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    w.clock.advance(60_000);
    await addGroupMember(w.deps, admin, g.id, member(bo.id));
    await drain(w);
    expect(entries(await stored(w, ada.id))).toEqual([[skus.e3, g.id, "Error", "CountViolation"]]);
    expect((await w.deps.store.getLedger(tenantId, skus.e3))?.value.waiting).toBe(2);

    // The direct holder lets go: the seat goes to ada, who waited longest.
    await assignLicense(
      w.deps,
      admin,
      holder.id,
      { addLicenses: [], removeLicenses: [skus.e3] },
      { dryRun: false },
    );
    await drain(w);
    expect(entries(await stored(w, ada.id))).toEqual([[skus.e3, g.id, "Active", "None"]]);
    expect(entries(await stored(w, bo.id))).toEqual([[skus.e3, g.id, "Error", "CountViolation"]]);

    // More seats bought: bo gets one too.
    const [subscription] = await w.deps.store.listSubscriptions(tenantId);
    await changeSubscription(w.deps, admin, subscription?.id ?? "", { kind: "update", seats: 2 });
    await drain(w);
    expect(entries(await stored(w, bo.id))).toEqual([[skus.e3, g.id, "Active", "None"]]);
    expect(await consumed(w, skus.e3)).toBe(2);
    expect(await listMembersWithLicenseErrors(w.deps, tenantId, g.id)).toEqual([]);
  });

  it("refuses to delete a group that carries licenses; a deleted member loses them and inherits again when restored", async () => {
    const w = world();
    await buySeats(w, skus.e3, 5);
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    await assignGroupLicense(w.deps, admin, g.id, { addLicenses: [{ skuId: skus.e3 }], removeLicenses: [] });
    await drain(w);
    await expectProblem(deleteGroup(w.deps, admin, g.id), "Conflict");

    await deleteUser(w.deps, admin, ada.id);
    expect(await consumed(w, skus.e3)).toBe(0);
    const restored = await restoreUser(w.deps, admin, ada.id);
    expect(entries(restored.value)).toEqual([[skus.e3, g.id, "Active", "None"]]);
    expect(await consumed(w, skus.e3)).toBe(1);

    await assignGroupLicense(w.deps, admin, g.id, { addLicenses: [], removeLicenses: [skus.e3] });
    await drain(w);
    expect((await stored(w, ada.id)).assignedLicenses).toEqual([]);
    await deleteGroup(w.deps, admin, g.id);
    expect((await stored(w, ada.id)).memberOf).toBeUndefined();
  });

  it("reprocesses a member on request, and never applies an older version of a group's licenses", async () => {
    const w = world();
    await buySeats(w, skus.e3, 5);
    await buySeats(w, skus.exchangePlan1, 5);
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, g.id, member(ada.id));
    await assignGroupLicense(w.deps, admin, g.id, { addLicenses: [{ skuId: skus.e3 }], removeLicenses: [] });
    const firstJob = w.published.splice(0);
    await assignGroupLicense(w.deps, admin, g.id, {
      addLicenses: [{ skuId: skus.exchangePlan1 }],
      removeLicenses: [skus.e3],
    });
    await drain(w);
    expect((await stored(w, ada.id)).assignedLicenses.map((l) => l.skuId)).toEqual([skus.exchangePlan1]);
    // The first job's message arrives late: version 1 must not come back.
    for (const event of firstJob) await handleQueueMessage(w.deps, event);
    await drain(w);
    expect((await stored(w, ada.id)).assignedLicenses.map((l) => l.skuId)).toEqual([skus.exchangePlan1]);

    const again = await reprocessLicenses(w.deps, admin, ada.id);
    expect(entries(again.value)).toEqual([[skus.exchangePlan1, g.id, "Active", "None"]]);
  });
});
