// The group use cases against in-memory ports: each change audited and all or nothing, members
// and memberships kept together, refusals of groups as members, existing members and unknown
// users, a deletion that outgrows one transaction, and a change racing another writer.
import { describe, expect, it } from "vitest";
import { addGroupMember } from "../../../shared/usecases/add-group-member.js";
import { createGroup } from "../../../shared/usecases/create-group.js";
import { deleteGroup } from "../../../shared/usecases/delete-group.js";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { listGroups, listMemberOf, listMembers } from "../../../shared/usecases/read-groups.js";
import { removeGroupMember } from "../../../shared/usecases/remove-group-member.js";
import type { MemberReference } from "../../../shared/usecases/steps/new-members.js";
import { updateGroup } from "../../../shared/usecases/update-group.js";
import { addUser, admin, clearCommits, expectProblem, tenantId, type World, world } from "./fixture.js";

const user = (id: string): MemberReference => ({ set: "directoryObjects", key: id });

async function newGroup(w: World, displayName = "Sales") {
  return (await createGroup(w.deps, admin, { displayName, mailNickname: displayName.toLowerCase() })).value;
}

const memberIds = async (w: World, groupId: string) =>
  (await listMembers(w.deps, tenantId, groupId, { top: 100 })).items.map((u) => u.id);
const groupIdsOf = async (w: World, userId: string) =>
  (await listMemberOf(w.deps, tenantId, userId, { top: 100 })).items.map((g) => g.id);

describe("groups", () => {
  it("creates a group with an audit line, and lists groups by the beginning of displayName", async () => {
    const w = world();
    const sales = await newGroup(w, "Sales");
    await newGroup(w, "Support");
    await newGroup(w, "Finance");

    expect(sales).toMatchObject({ displayName: "Sales", mailNickname: "sales", description: null });
    const audit = (await w.deps.store.listAudit(tenantId)).filter((r) => r.action === "createGroup");
    expect(audit).toHaveLength(3);
    const s = await listGroups(w.deps, tenantId, { top: 10, displayNamePrefix: "s" });
    expect(s.items.map((g) => g.displayName).sort()).toEqual(["Sales", "Support"]);
  });

  it("changes properties, and a group that does not exist is NotFound", async () => {
    const w = world();
    const g = await newGroup(w);
    const changed = await updateGroup(w.deps, admin, g.id, { displayName: "Sales EMEA", description: "x" });
    expect(changed).toMatchObject({ displayName: "Sales EMEA", description: "x", mailNickname: "sales" });
    await expectProblem(updateGroup(w.deps, admin, "nope", { displayName: "y" }), "NotFound");
  });
});

describe("members", () => {
  it("adds a member with its reverse index row and their membership in the same commit, and removes all together", async () => {
    const w = world();
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    clearCommits(w);

    await addGroupMember(w.deps, admin, g.id, user(ada.id));
    const kinds = w.records.commits.flatMap((c) => c.writes.map((write) => write.kind));
    expect(kinds).toEqual(["updateUser", "addMember", "audit", "updateGroup"]);
    expect(await memberIds(w, g.id)).toEqual([ada.id]);
    expect((await w.records.getUser(tenantId, ada.id))?.value.memberOf).toEqual([
      { groupId: g.id, licenseVersion: 0 },
    ]);
    expect(await groupIdsOf(w, ada.id)).toEqual([g.id]);

    await removeGroupMember(w.deps, admin, g.id, ada.id);
    expect(await memberIds(w, g.id)).toEqual([]);
    expect(await groupIdsOf(w, ada.id)).toEqual([]);
    expect((await w.records.getUser(tenantId, ada.id))?.value.memberOf).toBeUndefined();
    await expectProblem(removeGroupMember(w.deps, admin, g.id, ada.id), "NotFound");
  });

  it("refuses an existing member with Graph's message, a group, an unknown and a deleted user", async () => {
    const w = world();
    const g = await newGroup(w);
    const other = await newGroup(w, "Other");
    const ada = await addUser(w, "ada");
    const bob = await addUser(w, "bob");
    await deleteUser(w.deps, admin, bob.id);
    await addGroupMember(w.deps, admin, g.id, user(ada.id));

    await expect(addGroupMember(w.deps, admin, g.id, user(ada.id))).rejects.toMatchObject({
      code: "ValidationFailed",
      detail: expect.stringContaining(
        "One or more added object references already exist for the following modified properties: 'members'.",
      ),
    });
    await expect(addGroupMember(w.deps, admin, g.id, user(other.id))).rejects.toMatchObject({
      code: "ValidationFailed",
      detail: expect.stringContaining("Nested groups are not supported"),
    });
    await expectProblem(
      addGroupMember(w.deps, admin, g.id, { set: "groups", key: other.id }),
      "ValidationFailed",
    );
    await expectProblem(
      addGroupMember(w.deps, admin, g.id, user("00000000-0000-4000-8000-000000000000")),
      "NotFound",
    );
    await expectProblem(addGroupMember(w.deps, admin, g.id, user(bob.id)), "NotFound");
    expect(await memberIds(w, g.id)).toEqual([ada.id]);
  });

  it("takes a user by userPrincipalName in a reference too", async () => {
    const w = world();
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, g.id, { set: "users", key: "ADA@contoso.example" });
    expect(await memberIds(w, g.id)).toEqual([ada.id]);
  });

  it("binds several members all or nothing: one failing reference adds none", async () => {
    const w = world();
    const g = await newGroup(w);
    const users = [await addUser(w, "a"), await addUser(w, "b"), await addUser(w, "c")];
    const refs = users.map((u) => user(u.id));

    await expectProblem(
      updateGroup(w.deps, admin, g.id, { displayName: "Renamed", members: [...refs, user("missing")] }),
      "NotFound",
    );
    expect(await memberIds(w, g.id)).toEqual([]);
    expect((await listGroups(w.deps, tenantId, { top: 10 })).items[0]?.displayName).toBe("Sales");

    await expectProblem(
      updateGroup(w.deps, admin, g.id, { members: [...refs, refs[0] ?? user("")] }),
      "ValidationFailed",
    );
    expect(await memberIds(w, g.id)).toEqual([]);

    await updateGroup(w.deps, admin, g.id, { members: refs });
    expect((await memberIds(w, g.id)).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it("leaves out a member deleted since", async () => {
    const w = world();
    const g = await newGroup(w);
    const [ada, bob] = [await addUser(w, "ada"), await addUser(w, "bob")];
    await updateGroup(w.deps, admin, g.id, { members: [user(ada.id), user(bob.id)] });
    await deleteUser(w.deps, admin, bob.id);
    expect(await memberIds(w, g.id)).toEqual([ada.id]);
  });

  it("pages members and memberships", async () => {
    const w = world();
    const g = await newGroup(w);
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await addUser(w, `u${i}`));
    await updateGroup(w.deps, admin, g.id, { members: users.map((u) => user(u.id)) });
    const first = await listMembers(w.deps, tenantId, g.id, { top: 3 });
    expect(first.items).toHaveLength(3);
    const second = await listMembers(w.deps, tenantId, g.id, {
      top: 3,
      ...(first.continuation ? { continuation: first.continuation } : {}),
    });
    expect(second.continuation).toBeUndefined();
    expect([...first.items, ...second.items].map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it("re-reads a group renamed meanwhile instead of overwriting it, and keeps both changes", async () => {
    const w = world();
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    const commit = w.records.commit.bind(w.records);
    let interfered = false;
    w.records.commit = async (id, writes) => {
      if (!interfered) {
        interfered = true;
        const found = await w.records.getGroup(tenantId, g.id);
        if (!found) throw new Error("no group");
        await w.records.commitElsewhere(id, [
          { kind: "updateGroup", group: { ...found.value, displayName: "Renamed" }, etag: found.etag },
        ]);
      }
      return commit(id, writes);
    };

    await addGroupMember(w.deps, admin, g.id, user(ada.id));

    expect(interfered).toBe(true);
    expect((await listGroups(w.deps, tenantId, { top: 1 })).items[0]?.displayName).toBe("Renamed");
    expect(await memberIds(w, g.id)).toEqual([ada.id]);
  });
});

describe("deleteGroup", () => {
  it("deletes a small group: its members leave in one commit, then the group goes with its audit line", async () => {
    const w = world();
    const g = await newGroup(w);
    const ada = await addUser(w, "ada");
    await addGroupMember(w.deps, admin, g.id, user(ada.id));
    clearCommits(w);

    await deleteGroup(w.deps, admin, g.id);

    expect(w.records.commits.map((c) => c.writes.map((write) => write.kind))).toEqual([
      ["updateUser", "removeMember", "audit", "updateGroup"],
      ["deleteGroup", "audit"],
    ]);
    expect(await groupIdsOf(w, ada.id)).toEqual([]);
    await expectProblem(listMembers(w.deps, tenantId, g.id, { top: 10 }), "NotFound");
    await expectProblem(deleteGroup(w.deps, admin, g.id), "NotFound");
  });

  // The fake refuses a commit over a transaction's 100 actions, as Table Storage does.
  it("deletes a group of more members than one transaction holds, within the action limit", async () => {
    const w = world();
    const g = await newGroup(w);
    const users = [];
    for (let i = 0; i < 120; i++) users.push(await addUser(w, `u${i}`));
    for (let i = 0; i < users.length; i += 20) {
      await updateGroup(w.deps, admin, g.id, { members: users.slice(i, i + 20).map((u) => user(u.id)) });
    }
    clearCommits(w);

    await deleteGroup(w.deps, admin, g.id);

    expect(w.records.commits.length).toBeGreaterThan(1);
    expect(w.records.tenant(tenantId).members.size).toBe(0);
    expect(w.records.tenant(tenantId).memberOf.size).toBe(0);
    expect(w.records.tenant(tenantId).groups.has(g.id)).toBe(false);
  });
});
