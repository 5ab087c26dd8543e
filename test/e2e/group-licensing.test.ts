// Group-based licensing (issue 19) over real HTTP through the local host, with the queue worker on
// the local broker and Azurite: a group's licenses reaching every member through a job of several
// chunks, membership taking effect in the call, inherited licenses refused through the user,
// members short of seats listed and then served when seats are bought, the 409 on deleting a
// licensed group, and the events a monitoring system reads off the queue.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudEvent } from "../../shared/domain/events.js";
import { chunkSize } from "../../shared/usecases/submit-bulk-job.js";
import { plans, skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

/** The events the broker accepted: recorded once the real publisher's send resolved. */
const onTheQueue: CloudEvent[] = [];

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    publisher: (real) => ({
      publish: async (events) => {
        await real.publish(events);
        onTheQueue.push(...events);
      },
    }),
  });
});
afterAll(async () => {
  await app?.close();
});

type Tenant = Awaited<ReturnType<typeof newTenant>>;

interface ProcessingState {
  state: "QueuedForProcessing" | "ProcessingInProgress" | "ProcessingComplete";
  membersTotal: number;
  membersProcessed: number;
  membersInError: number;
}
interface GroupBody {
  id: string;
  displayName: string;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  licenseProcessingState: ProcessingState;
}
interface AssignmentState {
  skuId: string;
  disabledPlans: string[];
  state: string;
  error: string;
  assignedByGroup: string | null;
}
interface UserBody {
  id: string;
  userPrincipalName: string;
  assignedLicenses: { skuId: string; disabledPlans: string[] }[];
  licenseAssignmentStates: AssignmentState[];
}
interface Page<T> {
  value: T[];
  "@odata.nextLink"?: string;
}
interface Problem {
  code: string;
  detail: string;
}

const graphUser = (id: string) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

async function newGroup(t: Tenant, displayName = `Licensed ${randomUUID().slice(0, 8)}`) {
  const response = await t.call<GroupBody>("POST", "/api/groups", {
    displayName,
    mailNickname: displayName.replace(/\W/g, ""),
    securityEnabled: true,
    mailEnabled: false,
  });
  if (response.status !== 201) throw new Error(`create group failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** `count` new users, made a few at a time. */
async function newUsers(t: Tenant, count: number): Promise<UserBody[]> {
  const users: UserBody[] = [];
  for (let i = 0; i < count; i += 25) {
    const batch = Array.from({ length: Math.min(25, count - i) }, () => t.user());
    users.push(...((await Promise.all(batch)) as unknown as UserBody[]));
  }
  return users;
}

/** Adds the users to the group with members@odata.bind, 20 to a PATCH as Graph allows. */
async function addMembers(t: Tenant, groupId: string, users: readonly { id: string }[]) {
  for (let i = 0; i < users.length; i += 20) {
    const urls = users.slice(i, i + 20).map((u) => graphUser(u.id));
    const bound = await t.call("PATCH", `/api/groups/${groupId}`, { "members@odata.bind": urls });
    if (bound.status !== 204) throw new Error(`bind failed: ${JSON.stringify(bound.body)}`);
  }
}

/** Puts licenses on a group (202, with Location the group, which `t.call` checks against the contract). */
const licenseGroup = (t: Tenant, groupId: string, body: unknown) =>
  t.call<GroupBody>("POST", `/api/groups/${groupId}/assignLicense`, body);

/** The group once its licenses have reached every member (the documented end state). */
const processed = (t: Tenant, groupId: string) =>
  eventually(
    async () => (await t.call<GroupBody>("GET", `/api/groups/${groupId}`)).body,
    (group) => group.licenseProcessingState.state === "ProcessingComplete",
    { timeoutMs: 60_000, intervalMs: 200 },
  );

const getUser = async (t: Tenant, userId: string) =>
  (await t.call<UserBody>("GET", `/api/users/${userId}`)).body;

/** Every page of a listing, following @odata.nextLink. */
async function allPages<T>(t: Tenant, path: string): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined = path;
  while (next !== undefined) {
    const response: { status: number; body: Page<T> } = await t.call<Page<T>>("GET", next);
    expect(response.status).toBe(200);
    items.push(...response.body.value);
    const link = response.body["@odata.nextLink"];
    next = link === undefined ? undefined : link.slice(new URL(link).origin.length);
  }
  return items;
}

/** A user's entries as [product, group (null: direct), state, error]. */
const entries = (user: UserBody) =>
  user.licenseAssignmentStates.map((s) => [s.skuId, s.assignedByGroup, s.state, s.error]);

const e3 = (disabledPlans: string[] = []) => ({
  addLicenses: [{ skuId: skus.e3, disabledPlans }],
  removeLicenses: [],
});

const membersWithErrors = async (t: Tenant, groupId: string) =>
  (await t.call<Page<UserBody>>("GET", `/api/groups/${groupId}/membersWithLicenseErrors`)).body.value;

const groupsWithErrors = async (t: Tenant) =>
  (
    await t.call<Page<{ id: string }>>(
      "GET",
      `/api/groups?$filter=${encodeURIComponent("hasMembersWithLicenseErrors eq true")}`,
    )
  ).body.value.map((g) => g.id);

describe("group-based licensing", () => {
  it(`licenses a group of 300 members, more than one chunk of ${chunkSize}, to the last member`, async () => {
    expect(300).toBeGreaterThan(chunkSize);
    const t = await newTenant(app);
    await t.buy(skus.e3, 310);
    const g = await newGroup(t);
    const users = await newUsers(t, 300);
    await addMembers(t, g.id, users);

    const accepted = await licenseGroup(t, g.id, e3([plans.SWAY.servicePlanId]));
    expect(accepted.status).toBe(202);
    expect(accepted.body.assignedLicenses).toEqual([
      { skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] },
    ]);
    expect(accepted.body.licenseProcessingState).toMatchObject({ membersTotal: 300 });
    expect(accepted.body.licenseProcessingState.state).not.toBe("ProcessingComplete");

    const done = await processed(t, g.id);
    expect(done.licenseProcessingState).toEqual({
      state: "ProcessingComplete",
      membersTotal: 300,
      membersProcessed: 300,
      membersInError: 0,
    });
    const members = await allPages<UserBody>(t, `/api/groups/${g.id}/members?$top=100`);
    expect(members.map((m) => m.id).sort()).toEqual(users.map((u) => u.id).sort());
    for (const member of members) {
      const user = await getUser(t, member.id);
      expect(user.assignedLicenses, user.userPrincipalName).toEqual([
        { skuId: skus.e3, disabledPlans: [plans.SWAY.servicePlanId] },
      ]);
      expect(entries(user), user.userPrincipalName).toEqual([[skus.e3, g.id, "Active", "None"]]);
    }
    expect((await t.sku(skus.e3)).consumedUnits).toBe(300);

    // A listing shows the processing state when $select names it, as Graph does, and not otherwise.
    const listed = await t.call<{ value: Partial<GroupBody>[] }>(
      "GET",
      "/api/groups?$select=displayName,licenseProcessingState",
    );
    expect(listed.body.value[0]?.licenseProcessingState).toMatchObject({
      state: "ProcessingComplete",
      membersTotal: 300,
    });
    expect(
      (await t.call<{ value: Partial<GroupBody>[] }>("GET", "/api/groups")).body.value[0],
    ).not.toHaveProperty("licenseProcessingState");
  }, 120_000);

  it("gives a member added to a licensed group the license in the same call, and frees the seat when they leave", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const g = await newGroup(t);
    expect((await licenseGroup(t, g.id, e3())).status).toBe(202);
    await processed(t, g.id);
    const [ada] = await newUsers(t, 1);
    if (!ada) throw new Error("no user");

    const added = await t.call("POST", `/api/groups/${g.id}/members/$ref`, {
      "@odata.id": graphUser(ada.id),
    });
    expect(added.status).toBe(204);
    // No waiting: the very next read shows it.
    const member = await getUser(t, ada.id);
    expect(member.assignedLicenses.map((l) => l.skuId)).toEqual([skus.e3]);
    expect(entries(member)).toEqual([[skus.e3, g.id, "Active", "None"]]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(1);

    const removed = await t.call("DELETE", `/api/groups/${g.id}/members/${ada.id}/$ref`);
    expect(removed.status).toBe(204);
    const left = await getUser(t, ada.id);
    expect(left.assignedLicenses).toEqual([]);
    expect(left.licenseAssignmentStates).toEqual([]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(0);
  });

  it("refuses to remove an inherited license through the user with Graph's sentence and the group", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 5);
    const g = await newGroup(t, "Finance");
    await licenseGroup(t, g.id, e3());
    await processed(t, g.id);
    const [ada] = await newUsers(t, 1);
    if (!ada) throw new Error("no user");
    await addMembers(t, g.id, [ada]);

    const refused = await t.call<Problem>("POST", `/api/users/${ada.id}/assignLicense`, {
      addLicenses: [],
      removeLicenses: [skus.e3],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain(
      "User license is inherited from group membership and cannot be removed directly from the user.",
    );
    expect(refused.body.detail).toContain("Finance");
    expect(refused.body.detail).toContain(g.id);
    expect((await getUser(t, ada.id)).assignedLicenses.map((l) => l.skuId)).toEqual([skus.e3]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(1);
  });

  it("lists members short of seats, and serves them when seats are bought or added, without a reprocess", async () => {
    const t = await newTenant(app);
    const subscription = await t.buy(skus.e3, 2);
    const [short, fine] = [await newGroup(t, "Short"), await newGroup(t, "Fine")];
    const users = await newUsers(t, 4);
    await addMembers(t, short.id, users);
    await licenseGroup(t, short.id, e3());
    await licenseGroup(t, fine.id, e3());

    const done = await processed(t, short.id);
    expect(done.licenseProcessingState).toMatchObject({
      membersTotal: 4,
      membersProcessed: 4,
      membersInError: 2,
    });
    const waiting = await membersWithErrors(t, short.id);
    expect(waiting).toHaveLength(2);
    for (const user of waiting) {
      expect(user.assignedLicenses).toEqual([]);
      expect(entries(user)).toEqual([[skus.e3, short.id, "Error", "CountViolation"]]);
    }
    const holders = users.filter((u) => !waiting.some((w) => w.id === u.id));
    for (const user of holders)
      expect(entries(await getUser(t, user.id))).toEqual([[skus.e3, short.id, "Active", "None"]]);
    expect(await groupsWithErrors(t)).toEqual([short.id]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(2);

    // Seats bought: the waiting members get them; nobody calls reprocess.
    await t.buy(skus.e3, 2);
    await eventually(
      () => membersWithErrors(t, short.id),
      (members) => members.length === 0,
    );
    for (const user of waiting)
      expect(entries(await getUser(t, user.id))).toEqual([[skus.e3, short.id, "Active", "None"]]);
    expect(await groupsWithErrors(t)).toEqual([]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(4);

    // One more member finds no seat in the call; adding a seat to a subscription serves them.
    const [late] = await newUsers(t, 1);
    if (!late) throw new Error("no user");
    await addMembers(t, short.id, [late]);
    expect(entries(await getUser(t, late.id))).toEqual([[skus.e3, short.id, "Error", "CountViolation"]]);
    expect((await membersWithErrors(t, short.id)).map((u) => u.id)).toEqual([late.id]);
    const patched = await t.call("PATCH", `/api/subscriptions/${subscription.id}`, { seats: 3 });
    expect(patched.status).toBe(200);
    await eventually(
      () => membersWithErrors(t, short.id),
      (members) => members.length === 0,
    );
    expect(entries(await getUser(t, late.id))).toEqual([[skus.e3, short.id, "Active", "None"]]);
    expect((await t.sku(skus.e3)).consumedUnits).toBe(5);
    expect((await processed(t, short.id)).licenseProcessingState.membersInError).toBe(0);
  });

  it("lists the users in license errors with licenseErrors=true, counted, ordered and beside other filters", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 2);
    const g = await newGroup(t, "Short");
    const members = await newUsers(t, 4);
    const [outsider] = await newUsers(t, 1);
    if (!outsider) throw new Error("no user");
    await addMembers(t, g.id, members);
    await licenseGroup(t, g.id, e3());
    await processed(t, g.id);
    const waiting = (await membersWithErrors(t, g.id)).map((u) => u.id).sort();
    expect(waiting).toHaveLength(2);

    const eventual = { ConsistencyLevel: "eventual" };
    const list = async (query: string) => {
      const response = await app.call<Page<UserBody> & { "@odata.count"?: number }>(
        "GET",
        `/api/users?${query}`,
        { token: t.admin, headers: eventual },
      );
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    };
    const ids = async (query: string) => (await list(query)).value.map((u) => u.id);
    expect((await ids("licenseErrors=true")).sort()).toEqual(waiting);
    const others = [...members, outsider].map((u) => u.id).filter((id) => !waiting.includes(id));
    expect((await ids("licenseErrors=false")).sort()).toEqual(others.sort());
    expect((await list("licenseErrors=true&$count=true"))["@odata.count"]).toBe(2);
    const counted = await app.call<number>("GET", "/api/users/$count?licenseErrors=true", {
      token: t.admin,
      headers: eventual,
    });
    expect(counted.body).toBe(2);
    // Waiting members hold nothing: the unlicensed filter keeps them; a product filter takes none.
    const unlicensed = encodeURIComponent("assignedLicenses/$count eq 0");
    expect((await ids(`licenseErrors=true&$filter=${unlicensed}`)).sort()).toEqual(waiting);
    expect(await ids(`licenseErrors=true&skuId=${skus.e3}`)).toEqual([]);
    const byName = await list("licenseErrors=true&$orderby=userPrincipalName%20desc&$top=1");
    const names = members
      .filter((u) => waiting.includes(u.id))
      .map((u) => u.userPrincipalName)
      .sort()
      .reverse();
    expect(byName.value.map((u) => u.userPrincipalName)).toEqual(names.slice(0, 1));
    const next = byName["@odata.nextLink"];
    expect(next).toBeDefined();
    const rest = await list((next ?? "").split("?")[1] ?? "");
    expect(rest.value.map((u) => u.userPrincipalName)).toEqual(names.slice(1));
    expect(rest["@odata.nextLink"]).toBeUndefined();
  });

  it("puts group.licenseErrorRaised on the queue for a member short of a seat, and group.licenseErrorCleared once served", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 1);
    const g = await newGroup(t);
    const [ada, bo] = await newUsers(t, 2);
    if (!ada || !bo) throw new Error("no users");
    await licenseGroup(t, g.id, e3());
    await processed(t, g.id);
    await addMembers(t, g.id, [ada, bo]);
    const ofTenant = (type: string) =>
      onTheQueue.filter((e) => e.type === type && (e.data as { tenantId?: string }).tenantId === t.tenantId);

    const [raised] = await eventually(
      async () => ofTenant("group.licenseErrorRaised"),
      (events) => events.length > 0,
    );
    expect(raised?.subject).toBe(`groups/${g.id}`);
    expect(raised?.data).toEqual({
      tenantId: t.tenantId,
      groupId: g.id,
      userId: bo.id,
      error: "CountViolation",
      skuIds: [skus.e3],
    });

    await t.buy(skus.e3, 1);
    const [cleared] = await eventually(
      async () => ofTenant("group.licenseErrorCleared"),
      (events) => events.length > 0,
    );
    expect(cleared?.data).toMatchObject({ groupId: g.id, userId: bo.id, error: "CountViolation" });
    expect(ofTenant("group.licenseErrorRaised")).toHaveLength(1);
  });

  it("refuses to delete a group that carries licenses with a 409, and deletes it once they are removed", async () => {
    const t = await newTenant(app);
    await t.buy(skus.e3, 1);
    const g = await newGroup(t);
    await licenseGroup(t, g.id, e3());
    await processed(t, g.id);

    const refused = await t.call<Problem>("DELETE", `/api/groups/${g.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/licen/i);
    expect((await t.call("GET", `/api/groups/${g.id}`)).status).toBe(200);

    const unlicensed = await licenseGroup(t, g.id, { addLicenses: [], removeLicenses: [skus.e3] });
    expect(unlicensed.status).toBe(202);
    expect(unlicensed.body.assignedLicenses).toEqual([]);
    expect((await t.call("DELETE", `/api/groups/${g.id}`)).status).toBe(204);
  });
});
