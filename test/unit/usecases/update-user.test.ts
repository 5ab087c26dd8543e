// updateUser against in-memory ports: the change is audited, a deleted user is gone, and a change
// another writer made meanwhile is re-read, never overwritten.
import { describe, expect, it } from "vitest";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { updateUser } from "../../../shared/usecases/update-user.js";
import { addUser, admin, expectProblem, stored, tenantId, world } from "./fixture.js";

describe("updateUser", () => {
  it("changes the display name and litigation hold, with an audit line of before and after", async () => {
    const w = world();
    const user = await addUser(w, "ada");

    await updateUser(w.deps, admin, user.id, { displayName: "Ada L.", litigationHold: true });

    expect(await stored(w, user.id)).toMatchObject({ displayName: "Ada L.", litigationHold: true });
    const audit = (await w.deps.store.listAudit(tenantId)).find((r) => r.action === "updateUser");
    expect(audit?.before).toMatchObject({ displayName: "ada", litigationHold: false });
    expect(audit?.after).toMatchObject({ displayName: "Ada L.", litigationHold: true });
  });

  it("blocks sign-in and sets profile properties, clears one given null and keeps the rest", async () => {
    const w = world();
    const user = await addUser(w, "ada");

    await updateUser(w.deps, admin, user.id, {
      accountEnabled: false,
      mailNickname: "AdaL",
      givenName: "Ada",
      jobTitle: "Engineer",
      businessPhones: ["+44 20 7946 0000"],
    });
    await updateUser(w.deps, admin, user.id, { jobTitle: null, businessPhones: null, surname: "Lovelace" });

    expect(await stored(w, user.id)).toMatchObject({
      accountEnabled: false,
      mailNickname: "AdaL",
      profile: { givenName: "Ada", surname: "Lovelace", jobTitle: null, businessPhones: [], mail: null },
    });
  });

  it("keeps a change another writer committed meanwhile (re-reads on a stale ETag)", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    const commit = w.records.commit.bind(w.records);
    let interfered = false;
    w.records.commit = async (id, writes) => {
      if (!interfered) {
        interfered = true;
        const found = await w.records.getUser(tenantId, user.id);
        if (!found) throw new Error("no user");
        await w.records.commitElsewhere(id, [
          { kind: "updateUser", user: { ...found.value, litigationHold: true }, etag: found.etag },
        ]);
      }
      return commit(id, writes);
    };

    await updateUser(w.deps, admin, user.id, { displayName: "Ada L." });

    expect(interfered).toBe(true);
    expect(await stored(w, user.id)).toMatchObject({ displayName: "Ada L.", litigationHold: true });
  });

  it("finds no deleted user to update (404)", async () => {
    const w = world();
    const user = await addUser(w, "ada");
    await deleteUser(w.deps, admin, user.id);

    await expectProblem(updateUser(w.deps, admin, user.id, { displayName: "x" }), "NotFound");
  });
});
