// If-Match in the use cases, against in-memory ports: a stale version is refused with
// PreconditionFailed and nothing is written; the check and the write use one fresh read, so a writer
// slipping in between is answered 412, never overwritten; the versions answered are the stored ones.
import { describe, expect, it } from "vitest";
import { assignLicense } from "../../../shared/usecases/assign-licenses.js";
import { changeSubscription } from "../../../shared/usecases/change-subscription.js";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { updateUser } from "../../../shared/usecases/update-user.js";
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

const sku = skus.businessBasic;
const add = { addLicenses: [{ skuId: sku }], removeLicenses: [] };

async function versionOf(w: World, userId: string): Promise<string> {
  const found = await w.deps.store.getUser(tenantId, userId);
  if (!found) throw new Error(`no user ${userId}`);
  return found.etag;
}

/** Another process changes the user's display name (this process's cache does not see it). */
async function renameElsewhere(w: World, userId: string, displayName: string): Promise<void> {
  const found = await w.records.getUser(tenantId, userId);
  if (!found) throw new Error(`no user ${userId}`);
  await w.records.commitElsewhere(tenantId, [
    { kind: "updateUser", user: { ...found.value, displayName }, etag: found.etag },
  ]);
}

describe("updateUser with If-Match", () => {
  it("writes when the version is current, and answers the new stored version", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const version = await versionOf(w, user.id);

    const updated = await updateUser(
      w.deps,
      admin,
      user.id,
      { displayName: "Ada L." },
      { ifMatch: [version] },
    );

    expect(updated.value.displayName).toBe("Ada L.");
    expect(updated.etag).not.toBe(version);
    expect(updated.etag).toBe(await versionOf(w, user.id));
  });

  it("refuses a stale version with PreconditionFailed and writes nothing", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const stale = await versionOf(w, user.id);
    await updateUser(w.deps, admin, user.id, { displayName: "Ada L." });
    const commits = w.records.commits.length;

    await expectProblem(
      updateUser(w.deps, admin, user.id, { displayName: "Overwritten" }, { ifMatch: [stale] }),
      "PreconditionFailed",
    );

    expect(w.records.commits.length).toBe(commits);
    expect((await stored(w, user.id)).displayName).toBe("Ada L.");
  });

  it("matches any existing version with *, and one of several versions given", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    await updateUser(w.deps, admin, user.id, { displayName: "one" }, { ifMatch: "*" });
    const current = await versionOf(w, user.id);

    await updateUser(w.deps, admin, user.id, { displayName: "two" }, { ifMatch: ['W/"other"', current] });

    expect((await stored(w, user.id)).displayName).toBe("two");
  });

  it("answers 412, not an overwrite, when another writer commits between the check and the write", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const version = await versionOf(w, user.id);
    const commit = w.records.commit.bind(w.records);
    let interfered = false;
    w.records.commit = async (id, writes) => {
      if (!interfered) {
        interfered = true;
        await renameElsewhere(w, user.id, "Changed elsewhere");
      }
      return commit(id, writes);
    };

    await expectProblem(
      updateUser(w.deps, admin, user.id, { litigationHold: true }, { ifMatch: [version] }),
      "PreconditionFailed",
    );

    expect(interfered).toBe(true);
    expect(await stored(w, user.id)).toMatchObject({
      displayName: "Changed elsewhere",
      litigationHold: false,
    });
  });

  it("still answers NotFound for a user that does not exist", async () => {
    const w = world();
    await expectProblem(
      updateUser(
        w.deps,
        admin,
        "00000000-0000-4000-8000-999999999999",
        { displayName: "x" },
        { ifMatch: ["v"] },
      ),
      "NotFound",
    );
  });
});

describe("assignLicense with If-Match", () => {
  it("refuses a stale version before any rule, and takes no seat", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const user = await addUser(w, "ada");
    const stale = await versionOf(w, user.id);
    await updateUser(w.deps, admin, user.id, { displayName: "Ada L." });

    await expectProblem(
      assignLicense(w.deps, admin, user.id, add, { dryRun: false, ifMatch: [stale] }),
      "PreconditionFailed",
    );
    await expectProblem(
      assignLicense(w.deps, admin, user.id, add, { dryRun: true, ifMatch: [stale] }),
      "PreconditionFailed",
    );

    expect(await consumed(w, sku)).toBe(0);
    expect((await stored(w, user.id)).assignedLicenses).toEqual([]);
  });

  it("assigns under the current version and answers the version it wrote; a dry run answers the current one", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const user = await addUser(w, "ada");
    const version = await versionOf(w, user.id);

    const preview = await assignLicense(w.deps, admin, user.id, add, { dryRun: true, ifMatch: [version] });
    expect(preview.etag).toBe(version);
    const result = await assignLicense(w.deps, admin, user.id, add, {
      dryRun: false,
      ifMatch: [preview.etag],
    });

    expect(result.etag).not.toBe(version);
    expect(result.etag).toBe(await versionOf(w, user.id));
    expect(await consumed(w, sku)).toBe(1);
  });

  it("checks the stored version, not this process's cached copy, even when the change is a no-op", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const cachedVersion = await versionOf(w, user.id);
    await renameElsewhere(w, user.id, "Changed elsewhere");
    expect(w.records.cachedUser(tenantId, user.id)?.etag).toBe(cachedVersion);

    const removeUnheld = { addLicenses: [], removeLicenses: [sku] };
    await expectProblem(
      assignLicense(w.deps, admin, user.id, removeUnheld, { dryRun: false, ifMatch: [cachedVersion] }),
      "PreconditionFailed",
    );
  });
});

describe("changeSubscription with If-Match", () => {
  it("refuses a stale version and changes neither the subscription nor the ledger", async () => {
    const w = world();
    const subscription = await buySeats(w, sku, 3);
    const stale = (await w.deps.store.getSubscription(tenantId, subscription.id))?.etag ?? "";
    const changed = await changeSubscription(w.deps, admin, subscription.id, { kind: "update", seats: 4 });
    expect(changed.etag).not.toBe(stale);

    await expectProblem(
      changeSubscription(w.deps, admin, subscription.id, { kind: "update", seats: 10 }, { ifMatch: [stale] }),
      "PreconditionFailed",
    );

    expect((await w.deps.store.getSubscription(tenantId, subscription.id))?.value.seats).toBe(4);
    expect((await w.deps.store.getLedger(tenantId, sku))?.value.enabledAdmin).toBe(4);
    const current = await changeSubscription(
      w.deps,
      admin,
      subscription.id,
      { kind: "update", seats: 5 },
      { ifMatch: [changed.etag] },
    );
    expect(current.value.seats).toBe(5);
  });
});

describe("deleteUser with If-Match", () => {
  it("refuses a stale version and keeps the user", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const stale = await versionOf(w, user.id);
    await updateUser(w.deps, admin, user.id, { displayName: "Ada L." });

    await expectProblem(deleteUser(w.deps, admin, user.id, { ifMatch: [stale] }), "PreconditionFailed");

    expect((await stored(w, user.id)).deletedAt).toBeUndefined();
  });
});
