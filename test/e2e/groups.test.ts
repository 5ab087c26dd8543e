// Security groups and their members (issue 19's first step), over real HTTP through the local host
// against Azurite: each route, its refusals, Graph's host in @odata.id, the 20-member bind limit and
// its all-or-nothing, and the members and memberOf listings with paging.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

interface GroupBody {
  id: string;
  displayName: string;
  mailNickname: string;
  description: string | null;
  securityEnabled: boolean;
  mailEnabled: boolean;
  createdDateTime: string;
  "@odata.context"?: string;
  "@odata.type"?: string;
}
interface Page<T> {
  "@odata.context": string;
  value: T[];
  "@odata.nextLink"?: string;
  "@odata.count"?: number;
}
interface Problem {
  code: string;
  detail: string;
}

type Tenant = Awaited<ReturnType<typeof newTenant>>;

const graphUser = (id: string) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

async function group(t: Tenant, displayName = `Group ${randomUUID().slice(0, 8)}`, extra = {}) {
  const response = await t.call<GroupBody>("POST", "/api/groups", {
    displayName,
    mailNickname: displayName.replace(/\W/g, ""),
    securityEnabled: true,
    mailEnabled: false,
    ...extra,
  });
  if (response.status !== 201) throw new Error(`create group failed: ${JSON.stringify(response.body)}`);
  return response.body;
}

const addMember = (t: Tenant, groupId: string, url: string) =>
  t.call<Problem>("POST", `/api/groups/${groupId}/members/$ref`, { "@odata.id": url });

/** Every page of a listing, following @odata.nextLink as Graph's PageIterator does. */
async function allPages<T>(t: Tenant, path: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let next: string | undefined = path;
  let pages = 0;
  while (next !== undefined) {
    const response: { status: number; body: Page<T> } = await t.call<Page<T>>("GET", next);
    expect(response.status).toBe(200);
    items.push(...response.body.value);
    pages++;
    const link = response.body["@odata.nextLink"];
    next = link === undefined ? undefined : link.slice(new URL(link).origin.length);
  }
  return { items, pages };
}

describe("groups", () => {
  it("creates a security group with Graph's body: 201, Location and the group with its context", async () => {
    const t = await newTenant(app);
    const body = {
      displayName: "Sales",
      mailNickname: "sales",
      description: "Everyone in sales",
      securityEnabled: true,
      mailEnabled: false,
      groupTypes: [],
    };
    const response = await t.call<GroupBody>("POST", "/v1.0/groups", body);
    expect(response.status).toBe(201);
    const created = response.body;
    expect(created).toMatchObject(body);
    expect(created["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#groups\/\$entity$/);
    expect(response.headers.get("location")).toBe(`/api/groups/${created.id}`);
    const read = await t.call<GroupBody>("GET", `/api/groups/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.id,
      displayName: "Sales",
      createdDateTime: created.createdDateTime,
    });
  });

  it("creates a group with its first members from members@odata.bind, and none when one fails", async () => {
    const t = await newTenant(app);
    const [ada, bob] = [await t.user(), await t.user()];
    const body = { displayName: "Team", mailNickname: "team", securityEnabled: true, mailEnabled: false };
    const refused = await t.call<Problem>("POST", "/api/groups", {
      ...body,
      "members@odata.bind": [graphUser(ada.id), graphUser(randomUUID())],
    });
    expect(refused.status).toBe(404);
    expect((await t.call<Page<GroupBody>>("GET", "/api/groups")).body.value).toEqual([]);

    const created = await t.call<GroupBody>("POST", "/api/groups", {
      ...body,
      "members@odata.bind": [graphUser(ada.id), `https://graph.microsoft.com/v1.0/users/${bob.id}`],
    });
    expect(created.status).toBe(201);
    const members = await t.call<Page<{ id: string }>>("GET", `/api/groups/${created.body.id}/members`);
    expect(members.body.value.map((m) => m.id).sort()).toEqual([ada.id, bob.id].sort());
  });

  it("refuses anything but a security group, and a body without its required properties", async () => {
    const t = await newTenant(app);
    const base = { displayName: "X", mailNickname: "x", securityEnabled: true, mailEnabled: false };
    for (const body of [
      { ...base, mailEnabled: true },
      { ...base, securityEnabled: false },
      { ...base, groupTypes: ["Unified"] },
    ]) {
      const response = await t.call<Problem>("POST", "/api/groups", body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.detail).toMatch(/only security groups are supported/);
    }
    const { mailNickname: _, ...noNickname } = base;
    const missing = await t.call<Problem>("POST", "/api/groups", noNickname);
    expect(missing.status).toBe(400);
    expect(missing.body.detail).toMatch(/mailNickname/);
  });

  it("answers 404 for a group that does not exist or belongs to another tenant", async () => {
    const a = await newTenant(app);
    const b = await newTenant(app);
    const g = await group(a);
    expect((await b.call("GET", `/api/groups/${g.id}`)).status).toBe(404);
    expect((await b.call("PATCH", `/api/groups/${g.id}`, { displayName: "Mine" })).status).toBe(404);
    expect((await b.call("DELETE", `/api/groups/${g.id}`)).status).toBe(404);
    expect((await a.call("GET", `/api/groups/${randomUUID()}`)).status).toBe(404);
    expect((await a.call("GET", `/api/groups/${randomUUID()}/members`)).status).toBe(404);
  });

  it("changes a group with PATCH: 204 as Graph, and null clears the description", async () => {
    const t = await newTenant(app);
    const g = await group(t, "Old name", { description: "old" });
    const patched = await t.call("PATCH", `/api/groups/${g.id}`, {
      displayName: "New name",
      description: null,
    });
    expect(patched.status).toBe(204);
    const read = await t.call<GroupBody>("GET", `/api/groups/${g.id}`);
    expect(read.body).toMatchObject({
      displayName: "New name",
      description: null,
      mailNickname: g.mailNickname,
    });
    expect((await t.call<Problem>("PATCH", `/api/groups/${g.id}`, {})).status).toBe(400);
  });

  it("lists groups in pages, filters on the beginning of displayName, selects and counts them", async () => {
    const t = await newTenant(app);
    for (const name of ["Alpha one", "alpha two", "ALPHA three", "Beta"]) await group(t, name);
    const { items, pages } = await allPages<GroupBody>(t, "/api/groups?$top=2");
    expect(items.map((g) => g.displayName).sort()).toEqual(["ALPHA three", "Alpha one", "Beta", "alpha two"]);
    expect(pages).toBe(2);
    const filtered = await t.call<Page<GroupBody>>(
      "GET",
      `/api/groups?$filter=${encodeURIComponent("startswith(displayName,'alpha')")}&$count=true`,
      undefined,
    );
    expect(filtered.status).toBe(400); // $count needs ConsistencyLevel: eventual
    const counted = await app.call<Page<GroupBody>>(
      "GET",
      `/api/groups?$filter=${encodeURIComponent("startswith(displayName,'alpha')")}&$count=true`,
      { token: t.admin, headers: { ConsistencyLevel: "eventual" } },
    );
    expect(counted.status).toBe(200);
    expect(counted.body["@odata.count"]).toBe(3);
    expect(counted.body.value.map((g) => g.displayName).sort()).toEqual([
      "ALPHA three",
      "Alpha one",
      "alpha two",
    ]);
    expect(counted.body["@odata.context"]).toMatch(/\$metadata#groups$/);

    const selection = await t.call<Page<Record<string, unknown>>>(
      "GET",
      "/api/groups?$select=displayName&$top=1",
    );
    expect(selection.body["@odata.context"]).toMatch(/\$metadata#groups\(displayName\)$/);
    expect(Object.keys(selection.body.value[0] ?? {}).sort()).toEqual(["displayName", "id"]);
    const id = selection.body.value[0]?.id;
    const one = await t.call<Record<string, unknown>>("GET", `/api/groups/${id}?$select=mailNickname`);
    expect(one.body).toEqual({
      "@odata.context": expect.stringMatching(/\$metadata#groups\(mailNickname\)\/\$entity$/),
      id,
      mailNickname: expect.any(String),
    });
    expect((await t.call<Problem>("GET", "/api/groups?$select=assignedPlans")).status).toBe(400);
  });

  it("refuses a $filter on groups other than startswith on displayName and hasMembersWithLicenseErrors, naming the part", async () => {
    const t = await newTenant(app);
    const refusals: [string, RegExp][] = [
      ["startswith(mailNickname,'a')", /startswith on mailNickname/],
      ["startswith(userPrincipalName,'a')", /startswith on userPrincipalName/],
      ["displayName eq 'a'", /The comparison "displayName eq 'a'"/],
      ["startswith(displayName,'a') or startswith(displayName,'b')", /The operator 'or'/],
      ["endswith(displayName,'a')", /The function endswith/],
      ["startswith(displayName,", /cannot be read|ends too soon/],
    ];
    for (const [filter, part] of refusals) {
      const response = await t.call<Problem>("GET", `/api/groups?$filter=${encodeURIComponent(filter)}`);
      expect(response.status, filter).toBe(400);
      expect(response.body.detail, filter).toMatch(part);
      if (!filter.endsWith(","))
        expect(response.body.detail, filter).toMatch(
          /startswith\(displayName,'…'\), hasMembersWithLicenseErrors eq true, and both joined with and only/,
        );
    }
  });
});

describe("members", () => {
  it("adds users by @odata.id on Graph's host, ours and as users/{id}, and lists both ways", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const [u1, u2, u3] = [await t.user(), await t.user(), await t.user()];
    const first = await addMember(t, g.id, graphUser(u1.id));
    expect(first.status, JSON.stringify(first.body)).toBe(204);
    expect((await addMember(t, g.id, `${app.url}/v1.0/directoryObjects/${u2.id}`)).status).toBe(204);
    expect((await addMember(t, g.id, `https://graph.microsoft.com/v1.0/users/${u3.id}`)).status).toBe(204);

    const members = await t.call<Page<{ id: string; "@odata.type": string }>>(
      "GET",
      `/v1.0/groups/${g.id}/members`,
    );
    expect(members.status).toBe(200);
    expect(members.body["@odata.context"]).toMatch(/\/v1\.0\/\$metadata#directoryObjects$/);
    expect(members.body.value.map((m) => m.id).sort()).toEqual([u1.id, u2.id, u3.id].sort());
    expect(members.body.value.every((m) => m["@odata.type"] === "#microsoft.graph.user")).toBe(true);

    const memberOf = await t.call<Page<GroupBody>>("GET", `/api/users/${u1.userPrincipalName}/memberOf`);
    expect(memberOf.status).toBe(200);
    expect(memberOf.body.value).toEqual([
      expect.objectContaining({ id: g.id, "@odata.type": "#microsoft.graph.group", securityEnabled: true }),
    ]);
  });

  it("refuses an existing member with Graph's message, an unknown user, a group and a bad reference", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const other = await group(t);
    const user = await t.user();
    expect((await addMember(t, g.id, graphUser(user.id))).status).toBe(204);

    const again = await addMember(t, g.id, graphUser(user.id));
    expect(again.status).toBe(400);
    expect(again.body.detail).toContain(
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const unknown = await addMember(t, g.id, graphUser(randomUUID()));
    expect(unknown.status).toBe(404);
    const nested = await addMember(t, g.id, graphUser(other.id));
    expect(nested.status).toBe(400);
    expect(nested.body.detail).toMatch(/Nested groups are not supported/);
    const asGroup = await addMember(t, g.id, `https://graph.microsoft.com/v1.0/groups/${other.id}`);
    expect(asGroup.status).toBe(400);
    const bad = await addMember(t, g.id, `not a url/${user.id}`);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/directory object's URL/);
    expect((await addMember(t, randomUUID(), graphUser(user.id))).status).toBe(404);
  });

  it("refuses a deleted user, leaves a member deleted since out of the listing, and a restored one in", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const [kept, deleted, gone] = [await t.user(), await t.user(), await t.user()];
    await addMember(t, g.id, graphUser(kept.id));
    await addMember(t, g.id, graphUser(deleted.id));
    expect((await t.call("DELETE", `/api/users/${deleted.id}`)).status).toBe(204);
    expect((await t.call("DELETE", `/api/users/${gone.id}`)).status).toBe(204);
    expect((await addMember(t, g.id, graphUser(gone.id))).status).toBe(404);
    const members = await t.call<Page<{ id: string }>>("GET", `/api/groups/${g.id}/members`);
    expect(members.body.value.map((m) => m.id)).toEqual([kept.id]);
    expect((await t.call("GET", `/api/users/${deleted.id}/memberOf`)).status).toBe(404);

    // Restored, they are a member again, as in Microsoft Entra ID.
    expect((await t.call("POST", `/api/users/${deleted.id}/restore`)).status).toBe(200);
    const restored = await t.call<Page<{ id: string }>>("GET", `/api/groups/${g.id}/members`);
    expect(restored.body.value.map((m) => m.id).sort()).toEqual([kept.id, deleted.id].sort());
    expect(
      (await t.call<Page<GroupBody>>("GET", `/api/users/${deleted.id}/memberOf`)).body.value,
    ).toHaveLength(1);
  });

  it("removes a member with DELETE …/members/{id}/$ref, and a non-member is a 404", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const user = await t.user();
    await addMember(t, g.id, graphUser(user.id));
    expect((await t.call("DELETE", `/api/groups/${g.id}/members/${user.id}/$ref`)).status).toBe(204);
    expect((await t.call<Page<unknown>>("GET", `/api/groups/${g.id}/members`)).body.value).toEqual([]);
    expect((await t.call<Page<unknown>>("GET", `/api/users/${user.id}/memberOf`)).body.value).toEqual([]);
    expect((await t.call("DELETE", `/api/groups/${g.id}/members/${user.id}/$ref`)).status).toBe(404);
    expect((await t.call("DELETE", `/api/groups/${g.id}/members/${randomUUID()}/$ref`)).status).toBe(404);
  });

  it("adds members through Graph's $batch, each answered as if sent alone", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const [ada, bob] = [await t.user(), await t.user()];
    const add = (id: string, userId: string) => ({
      id,
      method: "POST",
      url: `/groups/${g.id}/members/$ref`,
      headers: { "Content-Type": "application/json" },
      body: { "@odata.id": graphUser(userId) },
    });
    const response = await t.call<{ responses: { id: string; status: number }[] }>("POST", "/v1.0/$batch", {
      requests: [add("1", ada.id), add("2", bob.id), add("3", randomUUID())],
    });
    expect(response.status).toBe(200);
    const statuses = Object.fromEntries(response.body.responses.map((r) => [r.id, r.status]));
    expect(statuses).toEqual({ 1: 204, 2: 204, 3: 404 });
    const members = await t.call<Page<{ id: string }>>("GET", `/api/groups/${g.id}/members`);
    expect(members.body.value.map((m) => m.id).sort()).toEqual([ada.id, bob.id].sort());
  });

  it("binds up to 20 members with PATCH, and none when one of them fails", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const users = [];
    for (let i = 0; i < 21; i++) users.push(await t.user());
    const urls = users.map((u) => graphUser(u.id));

    const tooMany = await t.call<Problem>("PATCH", `/api/groups/${g.id}`, { "members@odata.bind": urls });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/at most 20/);

    const oneUnknown = [...urls.slice(0, 19), graphUser(randomUUID())];
    const failed = await t.call("PATCH", `/api/groups/${g.id}`, { "members@odata.bind": oneUnknown });
    expect(failed.status).toBe(404);
    const oneTwice = [...urls.slice(0, 19), urls[0]];
    expect((await t.call("PATCH", `/api/groups/${g.id}`, { "members@odata.bind": oneTwice })).status).toBe(
      400,
    );
    expect((await t.call<Page<unknown>>("GET", `/api/groups/${g.id}/members`)).body.value).toEqual([]);

    const bound = await t.call("PATCH", `/api/groups/${g.id}`, {
      displayName: "Bound",
      "members@odata.bind": urls.slice(0, 20),
    });
    expect(bound.status).toBe(204);
    const { items, pages } = await allPages<{ id: string }>(t, `/api/groups/${g.id}/members?$top=7`);
    expect(items.map((m) => m.id).sort()).toEqual(
      users
        .slice(0, 20)
        .map((u) => u.id)
        .sort(),
    );
    expect(pages).toBe(3);
    expect((await t.call<GroupBody>("GET", `/api/groups/${g.id}`)).body.displayName).toBe("Bound");
  });

  it("pages a user's groups, and deleting a group removes its memberships", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const groups = [];
    for (let i = 0; i < 5; i++) {
      const g = await group(t);
      await addMember(t, g.id, graphUser(user.id));
      groups.push(g);
    }
    const { items, pages } = await allPages<GroupBody>(t, `/api/users/${user.id}/memberOf?$top=2`);
    expect(items.map((g) => g.id).sort()).toEqual(groups.map((g) => g.id).sort());
    expect(pages).toBe(3);

    const [first] = groups;
    if (!first) throw new Error("no group");
    expect((await t.call("DELETE", `/api/groups/${first.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/groups/${first.id}`)).status).toBe(404);
    const after = await allPages<GroupBody>(t, `/api/users/${user.id}/memberOf`);
    expect(after.items.map((g) => g.id)).not.toContain(first.id);
    expect(after.items).toHaveLength(4);
  });

  it("deletes a group of more members than one transaction holds", async () => {
    const t = await newTenant(app);
    const g = await group(t);
    const users = [];
    for (let i = 0; i < 60; i++) users.push(await t.user());
    for (let i = 0; i < 60; i += 20) {
      const urls = users.slice(i, i + 20).map((u) => graphUser(u.id));
      expect((await t.call("PATCH", `/api/groups/${g.id}`, { "members@odata.bind": urls })).status).toBe(204);
    }
    expect((await allPages(t, `/api/groups/${g.id}/members`)).items).toHaveLength(60);
    expect((await t.call("DELETE", `/api/groups/${g.id}`)).status).toBe(204);
    expect((await t.call("GET", `/api/groups/${g.id}`)).status).toBe(404);
    for (const u of [users[0], users[59]]) {
      expect((await t.call<Page<unknown>>("GET", `/api/users/${u?.id}/memberOf`)).body.value).toEqual([]);
    }
  });
});
