// deleteUser and restoreUser against in-memory ports (R18, R20): seats freed at once, the mailbox
// Retained in the same commit, and a way back only within the retention window.
import { describe, expect, it } from "vitest";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { restoreUser } from "../../../shared/usecases/restore-user.js";
import { skus } from "../../support/catalog-ids.js";
import { days } from "../../support/test-clock.js";
import {
  addUser,
  admin,
  buySeats,
  clearCommits,
  consumed,
  expectProblem,
  kindsOf,
  stored,
  tenantId,
  world,
} from "./fixture.js";

const basic = skus.businessBasic;
const apps = skus.appsForBusiness;

/** A user holding two products, provisioned (their mailbox Active) as the worker would. */
async function licensedUser() {
  const w = world();
  await buySeats(w, basic, 5);
  await buySeats(w, apps, 5);
  const user = await addUser(w, "ada", [basic, apps]);
  await w.deps.outbox.flush();
  for (const event of w.published) {
    const { userId } = event.data as { userId: string };
    await w.deps.provisioning.submit(tenantId, { userId });
  }
  expect((await stored(w, user.id)).provisioning.mailbox.state).toBe("Active");
  clearCommits(w);
  return { w, user };
}

describe("deleteUser", () => {
  it("frees every seat the user held in the same commit as the deletion", async () => {
    const { w, user } = await licensedUser();

    await deleteUser(w.deps, admin, user.id);

    expect(w.records.commits).toHaveLength(1);
    expect(kindsOf(w)).toEqual(
      ["audit", "outbox", "putLedger", "putLedger", "removeHolder", "removeHolder", "updateUser"].sort(),
    );
    expect(await consumed(w, basic)).toBe(0);
    expect(await consumed(w, apps)).toBe(0);
    expect(await w.deps.store.listAllHolderIds(tenantId, basic)).toEqual(new Set());
    const after = await stored(w, user.id);
    expect(after.assignedLicenses).toEqual([]);
    expect(after.deletedAt).toBe("2024-03-01T12:00:00.000Z");
  });

  it("retains the mailbox in the same commit, due at the end of the retention period, and indexes it for the sweep", async () => {
    const { w, user } = await licensedUser();

    await deleteUser(w.deps, admin, user.id);

    const due = "2024-03-31T12:00:00.000Z";
    const after = await stored(w, user.id);
    expect(after.provisioning.mailbox).toMatchObject({ state: "Retained", retainedUntil: due });
    expect(after.retainedUntil).toBe(due);
    expect(w.retention.entries.map((e) => [e.kind, e.due])).toEqual([
      ["mailbox", due],
      ["user", due],
    ]);
  });

  it("finds no deleted user to delete again (404)", async () => {
    const { w, user } = await licensedUser();
    await deleteUser(w.deps, admin, user.id);
    clearCommits(w);

    await expectProblem(deleteUser(w.deps, admin, user.id), "NotFound");
    expect(w.records.commits).toEqual([]);
  });
});

describe("restoreUser", () => {
  it("brings a deleted user back within the window, unlicensed, with their mailbox data kept", async () => {
    const { w, user } = await licensedUser();
    const dataId = (await stored(w, user.id)).provisioning.mailbox.dataId;
    await deleteUser(w.deps, admin, user.id);
    w.clock.advance(days(29));

    const { value: restored } = await restoreUser(w.deps, admin, user.id);

    expect(restored.deletedAt).toBeUndefined();
    expect(restored.assignedLicenses).toEqual([]);
    const after = await stored(w, user.id);
    expect(after.deletedAt).toBeUndefined();
    expect(after.provisioning.mailbox.dataId).toBe(dataId);
    expect(await w.deps.store.listActiveUserIds(tenantId)).toEqual(new Set([user.id]));
    expect(await consumed(w, basic)).toBe(0);
  });

  it("refuses once the retention window has passed (404), and changes nothing", async () => {
    const { w, user } = await licensedUser();
    await deleteUser(w.deps, admin, user.id);
    w.clock.advance(days(30));
    clearCommits(w);

    await expectProblem(restoreUser(w.deps, admin, user.id), "NotFound");
    expect(w.records.commits).toEqual([]);
    expect((await stored(w, user.id)).deletedAt).toBeDefined();
  });

  it("refuses a user who was never deleted (404)", async () => {
    const { w, user } = await licensedUser();
    await expectProblem(restoreUser(w.deps, admin, user.id), "NotFound");
  });
});
