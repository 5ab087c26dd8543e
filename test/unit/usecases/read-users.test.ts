// listUsers, countUsers and resolveUserKey against in-memory ports: each filter is answered from the
// record that serves it (a sign-in name's reservation, the holder index, the users' filter), and the
// conditions combine.
import { describe, expect, it, vi } from "vitest";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import {
  countUsers,
  getUser,
  listUsers,
  resolveUserKey,
  type UserCondition,
} from "../../../shared/usecases/read-users.js";
import { skus } from "../../support/catalog-ids.js";
import { addUser, admin, buySeats, expectProblem, tenantId, type World, world } from "./fixture.js";

const basic = skus.businessBasic;
const apps = skus.appsForBusiness;

/** Five users: three holding Business Basic (one a guest), one also Apps, two unlicensed. */
async function tenant() {
  const w = world();
  await buySeats(w, basic, 10);
  await buySeats(w, apps, 10);
  const users = {
    adele: await addUser(w, "Adele.Vance", [basic]),
    alex: await addUser(w, "alex.wilber", [basic, apps], { displayName: "Alex Wilber" }),
    guest: await addUser(w, "ada.guest", [basic], { userType: "Guest", displayName: "ADA Guest" }),
    megan: await addUser(w, "megan.bowen", [], { displayName: "Megan Bowen" }),
    lynne: await addUser(w, "lynne.robbins", [], { displayName: "Lynne Robbins" }),
  };
  return { w, users };
}

const names = async (w: World, where: UserCondition[], more = {}) =>
  (await listUsers(w.deps, tenantId, { top: 100, where, ...more })).items
    .map((u) => u.userPrincipalName)
    .sort();

/** Spies on every listing method of the store, to tell which records a query read. */
function spies(w: World) {
  return {
    listUsers: vi.spyOn(w.records, "listUsers"),
    listUserIds: vi.spyOn(w.records, "listUserIds"),
    listHolderIds: vi.spyOn(w.records, "listHolderIds"),
    listAllHolderIds: vi.spyOn(w.records, "listAllHolderIds"),
    getUsers: vi.spyOn(w.records, "getUsers"),
    getUser: vi.spyOn(w.records, "getUser"),
    findUserIdByPrincipalName: vi.spyOn(w.records, "findUserIdByPrincipalName"),
  };
}

describe("listUsers with conditions", () => {
  it("finds a user by sign-in name in any case with a point read, reading no other user", async () => {
    const { w, users } = await tenant();
    const read = spies(w);
    const page = await listUsers(w.deps, tenantId, {
      top: 10,
      where: [{ kind: "userPrincipalName", equals: "ADELE.VANCE@contoso.EXAMPLE" }],
    });
    expect(page.items.map((u) => u.id)).toEqual([users.adele.id]);
    expect(read.findUserIdByPrincipalName).toHaveBeenCalledTimes(1);
    expect(read.getUser).toHaveBeenCalledTimes(1);
    for (const scan of [read.listUsers, read.listUserIds, read.listHolderIds, read.getUsers]) {
      expect(scan).not.toHaveBeenCalled();
    }
  });

  it("lists a product's holders from the holder index, checking the other conditions on each", async () => {
    const { w } = await tenant();
    const read = spies(w);
    expect(await names(w, [{ kind: "holds", skuId: basic }])).toEqual([
      "Adele.Vance@contoso.example",
      "ada.guest@contoso.example",
      "alex.wilber@contoso.example",
    ]);
    expect(
      await names(w, [
        { kind: "holds", skuId: basic.toUpperCase() },
        { kind: "userType", equals: "Member" },
        { kind: "startsWith", property: "displayName", prefix: "al" },
      ]),
    ).toEqual(["alex.wilber@contoso.example"]);
    expect(read.listUsers).not.toHaveBeenCalled();
    expect(read.listHolderIds).toHaveBeenCalled();
  });

  it("intersects two products' holders", async () => {
    const { w } = await tenant();
    expect(
      await names(w, [
        { kind: "holds", skuId: basic },
        { kind: "holds", skuId: apps },
      ]),
    ).toEqual(["alex.wilber@contoso.example"]);
  });

  it("answers startswith case-insensitively, on displayName and userPrincipalName", async () => {
    const { w } = await tenant();
    expect(await names(w, [{ kind: "startsWith", property: "displayName", prefix: "AD" }])).toEqual([
      "Adele.Vance@contoso.example",
      "ada.guest@contoso.example",
    ]);
    expect(await names(w, [{ kind: "startsWith", property: "userPrincipalName", prefix: "MEG" }])).toEqual([
      "megan.bowen@contoso.example",
    ]);
  });

  it("filters by userType, with the old parameters too", async () => {
    const { w } = await tenant();
    expect(await names(w, [{ kind: "userType", equals: "Guest" }])).toEqual(["ada.guest@contoso.example"]);
    expect(await names(w, [{ kind: "userType", equals: "Member" }], { licensed: false })).toEqual([
      "lynne.robbins@contoso.example",
      "megan.bowen@contoso.example",
    ]);
    expect(await names(w, [{ kind: "holds", skuId: basic }], { licensed: false })).toEqual([]);
    expect(
      await names(w, [
        { kind: "userType", equals: "Guest" },
        { kind: "userType", equals: "Member" },
      ]),
    ).toEqual([]);
  });

  it("pages the holders, each page filled from the holder index", async () => {
    const { w } = await tenant();
    const first = await listUsers(w.deps, tenantId, { top: 2, skuId: basic });
    expect(first.items).toHaveLength(2);
    expect(first.continuation).toBeDefined();
    const second = await listUsers(w.deps, tenantId, {
      top: 2,
      skuId: basic,
      ...(first.continuation ? { continuation: first.continuation } : {}),
    });
    expect(second.items).toHaveLength(1);
    expect(second.continuation).toBeUndefined();
  });

  it("does not list a deleted user by sign-in name, unless deleted users are asked for", async () => {
    const { w, users } = await tenant();
    await deleteUser(w.deps, admin, users.megan.id);
    const byName: UserCondition[] = [{ kind: "userPrincipalName", equals: "megan.bowen@contoso.example" }];
    expect(await names(w, byName)).toEqual([]);
    expect(await names(w, byName, { deleted: true })).toEqual(["megan.bowen@contoso.example"]);
  });
});

describe("countUsers", () => {
  it("counts what listUsers lists, for each kind of condition", async () => {
    const { w } = await tenant();
    const cases: UserCondition[][] = [
      [],
      [{ kind: "holds", skuId: basic }],
      [
        { kind: "holds", skuId: basic },
        { kind: "userType", equals: "Guest" },
      ],
      [{ kind: "startsWith", property: "displayName", prefix: "a" }],
      [{ kind: "userPrincipalName", equals: "alex.wilber@contoso.example" }],
      [{ kind: "userPrincipalName", equals: "nobody@contoso.example" }],
    ];
    for (const where of cases) {
      const listed = (await listUsers(w.deps, tenantId, { top: 999, where })).items.length;
      expect(await countUsers(w.deps, tenantId, { where }), JSON.stringify(where)).toBe(listed);
    }
  });

  it("reads keys only: the holder index alone for a product, no user records", async () => {
    const { w } = await tenant();
    const read = spies(w);
    expect(await countUsers(w.deps, tenantId, { skuId: basic })).toBe(3);
    expect(read.listAllHolderIds).toHaveBeenCalledTimes(1);
    for (const full of [read.listUsers, read.getUsers, read.getUser, read.listUserIds]) {
      expect(full).not.toHaveBeenCalled();
    }
    expect(await countUsers(w.deps, tenantId, { where: [{ kind: "userType", equals: "Member" }] })).toBe(4);
    expect(read.listUserIds).toHaveBeenCalledTimes(1);
    expect(read.listUsers).not.toHaveBeenCalled();
  });
});

describe("resolveUserKey", () => {
  it("takes a GUID as the id, in any case, without reading anything", async () => {
    const { w, users } = await tenant();
    const read = spies(w);
    expect(await resolveUserKey(w.deps, tenantId, users.alex.id.toUpperCase())).toBe(users.alex.id);
    expect(read.findUserIdByPrincipalName).not.toHaveBeenCalled();
  });

  it("finds a user by sign-in name in any case", async () => {
    const { w, users } = await tenant();
    expect(await resolveUserKey(w.deps, tenantId, "Alex.Wilber@CONTOSO.example")).toBe(users.alex.id);
    expect((await getUser(w.deps, tenantId, "alex.wilber@contoso.example")).id).toBe(users.alex.id);
  });

  it("answers NotFound for an unknown name and for a key that is neither, reading nothing for the latter", async () => {
    const { w } = await tenant();
    const read = spies(w);
    await expectProblem(resolveUserKey(w.deps, tenantId, "nobody@contoso.example"), "NotFound");
    await expectProblem(resolveUserKey(w.deps, tenantId, "not-a-key"), "NotFound");
    await expectProblem(resolveUserKey(w.deps, tenantId, `${"a".repeat(200)}@contoso.example`), "NotFound");
    expect(read.findUserIdByPrincipalName).toHaveBeenCalledTimes(1);
  });
});
