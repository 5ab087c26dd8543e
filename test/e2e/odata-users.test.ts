// Microsoft Graph's OData query options on /users and userPrincipalName keys, over real HTTP through
// the local host against Azurite: every supported $filter form, $orderby across pages, $select,
// $top, $count and /users/$count, refusals that name the unsupported part, a user named by sign-in name on each user
// route, and that such a lookup reads no other user.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

interface UserBody {
  id: string;
  userPrincipalName?: string;
  displayName?: string;
  [name: string]: unknown;
}
interface Users {
  value: UserBody[];
  "@odata.count"?: number;
  "@odata.nextLink"?: string;
}
interface Problem {
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

const basic = skus.businessBasic;
const apps = skus.appsForBusiness;
const eventual = { ConsistencyLevel: "eventual" };

/** A tenant with four users: two Business Basic holders (one a guest), one with Apps too, one unlicensed. */
async function tenant() {
  const t = await newTenant(app);
  await t.buy(basic, 10);
  await t.buy(apps, 10);
  const create = async (alias: string, displayName: string, more: Record<string, unknown> = {}) => {
    const response = await t.call<UserBody>("POST", "/api/users", {
      userPrincipalName: `${alias}@contoso.example`,
      displayName,
      ...more,
    });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body;
  };
  const users = {
    adele: await create("Adele.Vance", "Adele Vance", { licenses: [{ skuId: basic }] }),
    alex: await create("alex.wilber", "Alex Wilber", { licenses: [{ skuId: basic }, { skuId: apps }] }),
    guest: await create("ada.guest", "ada guest", { userType: "Guest" }),
    megan: await create("megan.bowen", "Megan Bowen"),
  };
  // A guest's license needs a Global Administrator, which the tenant's admin token is.
  await t.assign(users.guest.id, { addLicenses: [{ skuId: basic }] });
  const get = <T = Users>(path: string, headers: Record<string, string> = {}) =>
    app.call<T>("GET", path, { token: t.admin, headers });
  const names = async (filter: string) => {
    const response = await get(`/api/users?$filter=${encodeURIComponent(filter)}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.value.map((u) => u.userPrincipalName).sort();
  };
  return { t, users, get, names };
}

describe("$filter on GET /users", () => {
  it("answers every supported form, and and-ed combinations of them", async () => {
    const { names } = await tenant();
    expect(await names(`assignedLicenses/any(x:x/skuId eq ${basic})`)).toEqual([
      "Adele.Vance@contoso.example",
      "ada.guest@contoso.example",
      "alex.wilber@contoso.example",
    ]);
    expect(await names("userPrincipalName eq 'ADELE.vance@contoso.example'")).toEqual([
      "Adele.Vance@contoso.example",
    ]);
    expect(await names("startswith(displayName,'a')")).toEqual([
      "Adele.Vance@contoso.example",
      "ada.guest@contoso.example",
      "alex.wilber@contoso.example",
    ]);
    expect(await names("startswith(userPrincipalName,'ME')")).toEqual(["megan.bowen@contoso.example"]);
    expect(await names("userType eq 'Guest'")).toEqual(["ada.guest@contoso.example"]);
    expect(await names("userType eq 'Member'")).toHaveLength(3);
    expect(
      await names(
        `assignedLicenses/any(x:x/skuId eq ${basic}) and userType eq 'Member' and startswith(displayName,'AL')`,
      ),
    ).toEqual(["alex.wilber@contoso.example"]);
    expect(
      await names(
        `assignedLicenses/any(x:x/skuId eq ${basic}) and (assignedLicenses/any(y:y/skuId eq ${apps}))`,
      ),
    ).toEqual(["alex.wilber@contoso.example"]);
    expect(await names("userPrincipalName eq 'megan.bowen@contoso.example' and userType eq 'Guest'")).toEqual(
      [],
    );
  });

  it("keeps the existing parameters working, alone and beside $filter", async () => {
    const { get } = await tenant();
    const unlicensed = await get("/api/users?licensed=false");
    expect(unlicensed.body.value.map((u) => u.displayName)).toEqual(["Megan Bowen"]);
    const holders = await get(`/api/users?skuId=${apps}&top=1`);
    expect(holders.body.value.map((u) => u.displayName)).toEqual(["Alex Wilber"]);
    const both = await get(`/api/users?licensed=true&$filter=${encodeURIComponent("userType eq 'Guest'")}`);
    expect(both.body.value.map((u) => u.displayName)).toEqual(["ada guest"]);
  });

  it("matches a prefix holding a quote, escaped by doubling it", async () => {
    const { t, names } = await tenant();
    const created = await t.call("POST", "/api/users", {
      userPrincipalName: "o'brien@contoso.example",
      displayName: "Seán O'Brien",
    });
    expect(created.status).toBe(201);
    expect(await names("startswith(displayName,'seán o''b')")).toEqual(["o'brien@contoso.example"]);
    expect(await names("startswith(userPrincipalName,'O''')")).toEqual(["o'brien@contoso.example"]);
  });

  it("refuses what it does not support with a 400 that names the part", async () => {
    const { get } = await tenant();
    const refusals: [string, string][] = [
      [`$filter=${encodeURIComponent("userType eq 'Guest' or userType eq 'Member'")}`, "The operator 'or'"],
      [
        `$filter=${encodeURIComponent("endswith(userPrincipalName,'@contoso.example')")}`,
        "The function endswith",
      ],
      [`$filter=${encodeURIComponent("accountEnabled eq true")}`, "the property accountEnabled"],
      [`$filter=${encodeURIComponent("userType eq 'Guest' and")}`, "at character 20"],
      ["$orderby=mail", `$orderby: Ordering by "mail"`],
      ["$orderby=displayName,userPrincipalName", "more than one property"],
      ["$expand=manager", "$expand"],
      ["$select=displayName,department", `"department"`],
      ["$top=1000", "$top"],
      ["$top=0", "$top"],
    ];
    for (const [query, named] of refusals) {
      const response = await get<Problem>(`/api/users?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.code, query).toBe("ValidationFailed");
      expect(response.body.detail, query).toContain(named);
    }
  });
});

describe("$orderby on GET /users", () => {
  /** Every page of a listing, following @odata.nextLink, with ConsistencyLevel: eventual. */
  async function allPages(
    get: (path: string, headers?: Record<string, string>) => Promise<{ status: number; body: Users }>,
    path: string,
  ) {
    const pages: UserBody[][] = [];
    let next: string | undefined = path;
    while (next !== undefined) {
      const response = await get(next, eventual);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      pages.push(response.body.value);
      const link = response.body["@odata.nextLink"];
      next = link === undefined ? undefined : link.slice(new URL(link).origin.length);
    }
    return pages;
  }

  /** The tenant's four users and three more whose names tie but for case. */
  async function withTies() {
    const made = await tenant();
    const sams: UserBody[] = [];
    for (const [alias, displayName] of [
      ["sam.lee", "Sam Lee"],
      ["sam.lee2", "sam lee"],
      ["sam.lee3", "SAM LEE"],
    ] as const) {
      const created = await made.t.call<UserBody>("POST", "/api/users", {
        userPrincipalName: `${alias}@contoso.example`,
        displayName,
      });
      expect(created.status).toBe(201);
      sams.push(created.body);
    }
    return { ...made, sams };
  }

  it("orders by displayName both ways across pages, ties broken by id, each user once", async () => {
    const { get, users, sams } = await withTies();
    const tied = sams.map((u) => u.id).sort();
    const ascending = [users.guest.id, users.adele.id, users.alex.id, users.megan.id, ...tied];
    const asc = await allPages(get, "/api/users?$orderby=displayName&$top=2");
    expect(asc.map((page) => page.length)).toEqual([2, 2, 2, 1]);
    expect(asc.flat().map((u) => u.id)).toEqual(ascending);
    const desc = await allPages(get, "/api/users?$orderby=displayName%20desc&$top=3");
    expect(desc.flat().map((u) => u.id)).toEqual([...ascending].reverse());
    // Without a filter, $orderby needs no header, as in Graph; asc is the default.
    const plain = await get("/api/users?$orderby=displayName%20asc&$top=999");
    expect(plain.status).toBe(200);
    expect(plain.body.value.map((u) => u.id)).toEqual(ascending);
  });

  it("orders by userPrincipalName, case-insensitively", async () => {
    const { get, users, sams } = await withTies();
    const [first] = await allPages(get, "/api/users?$orderby=userPrincipalName&$top=999");
    expect(first?.map((u) => u.id)).toEqual([
      users.guest.id, // ada.guest
      users.adele.id, // Adele.Vance
      users.alex.id,
      users.megan.id,
      ...sams.map((u) => u.id), // sam.lee, sam.lee2, sam.lee3
    ]);
    const desc = await allPages(get, "/api/users?$orderby=userPrincipalName%20desc&$top=4");
    expect(desc.flat().map((u) => u.userPrincipalName)).toEqual(
      first?.map((u) => u.userPrincipalName).reverse(),
    );
  });

  it("orders what a filter takes, with ConsistencyLevel: eventual, and refuses it without", async () => {
    const { get, users, sams } = await withTies();
    const members = encodeURIComponent("userType eq 'Member' and startswith(displayName,'s')");
    const pages = await allPages(get, `/api/users?$filter=${members}&$orderby=displayName%20desc&$top=2`);
    expect(pages.flat().map((u) => u.id)).toEqual(
      sams
        .map((u) => u.id)
        .sort()
        .reverse(),
    );
    const holders = await allPages(
      get,
      `/api/users?skuId=${basic}&$orderby=userPrincipalName&$top=1&$count=true`,
    );
    expect(holders.flat().map((u) => u.id)).toEqual([users.guest.id, users.adele.id, users.alex.id]);
    const refused = await get<Problem>(`/api/users?$filter=${members}&$orderby=displayName`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain(
      "$orderby with a filter needs the header ConsistencyLevel: eventual",
    );
    const plainLicensed = await get<Problem>("/api/users?licensed=true&$orderby=displayName");
    expect(plainLicensed.status).toBe(400);
  });

  it("refuses a skipToken issued for another order or for none", async () => {
    const { get } = await withTies();
    const byName = await get("/api/users?$orderby=displayName&$top=2");
    const token = new URL(byName.body["@odata.nextLink"] ?? "").searchParams.get("skipToken") ?? "";
    const unordered = await get("/api/users?$top=2");
    const tableToken = new URL(unordered.body["@odata.nextLink"] ?? "").searchParams.get("skipToken") ?? "";
    for (const query of [
      `$orderby=displayName%20desc&skipToken=${encodeURIComponent(token)}`,
      `$orderby=userPrincipalName&skipToken=${encodeURIComponent(token)}`,
      `$orderby=displayName&skipToken=${encodeURIComponent(tableToken)}`,
      "$orderby=displayName&skipToken=not-a-token",
    ]) {
      const response = await get<Problem>(`/api/users?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.body.detail, query).toContain("skipToken is not one this service issued");
    }
  });
});

describe("unlicensed users, as Graph's assignedLicenses/$count eq 0", () => {
  it("lists and counts the users holding no license, with ConsistencyLevel: eventual", async () => {
    const { get, users } = await tenant();
    const unlicensed = encodeURIComponent("assignedLicenses/$count eq 0");
    const listed = await get(`/api/users?$filter=${unlicensed}&$count=true`, eventual);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.value.map((u) => u.id)).toEqual([users.megan.id]);
    expect(listed.body["@odata.count"]).toBe(1);
    const counted = await get<number>(`/api/users/$count?$filter=${unlicensed}`, eventual);
    expect(counted.body).toBe(1);
    const guests = encodeURIComponent("assignedLicenses/$count eq 0 and userType eq 'Guest'");
    expect((await get(`/api/users?$filter=${guests}`, eventual)).body.value).toEqual([]);
    expect((await get(`/api/users?licensed=true&$filter=${unlicensed}`, eventual)).body.value).toEqual([]);
    const refused = await get<Problem>(`/api/users?$filter=${unlicensed}`);
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain("ConsistencyLevel: eventual");
  });
});

describe("$select, $top and $count", () => {
  it("returns only the selected properties, and id always", async () => {
    const { get, users } = await tenant();
    const response = await get(
      `/api/users?$select=displayName,assignedLicenses&$filter=${encodeURIComponent("startswith(displayName,'Megan')")}`,
    );
    expect(response.body.value).toEqual([
      { id: users.megan.id, displayName: "Megan Bowen", assignedLicenses: [] },
    ]);
    const one = await get<UserBody>(`/api/users/${users.alex.id}?$select=userPrincipalName`);
    expect(one.body).toEqual({
      "@odata.context": expect.stringMatching(/\/api\/\$metadata#users\(userPrincipalName\)\/\$entity$/),
      id: users.alex.id,
      userPrincipalName: "alex.wilber@contoso.example",
    });
  });

  it("pages by $top, and $count=true counts every user the filter takes on each page", async () => {
    const { get } = await tenant();
    const first = await get(`/api/users?$top=2&$count=true`, eventual);
    expect(first.status).toBe(200);
    expect(first.body.value).toHaveLength(2);
    expect(first.body["@odata.count"]).toBe(4);
    expect(first.body["@odata.nextLink"]).toBeDefined();
    const holders = await get(
      `/api/users?$count=true&$filter=${encodeURIComponent(`assignedLicenses/any(x:x/skuId eq ${basic}) and userType eq 'Member'`)}`,
      eventual,
    );
    expect(holders.body["@odata.count"]).toBe(2);
  });

  it("refuses $count=true without ConsistencyLevel: eventual, as Graph does", async () => {
    const { get } = await tenant();
    const response = await get<Problem>("/api/users?$count=true");
    expect(response.status).toBe(400);
    expect(response.body.detail).toContain("ConsistencyLevel: eventual");
  });

  it("answers /users/$count as text/plain, filtered, and only with ConsistencyLevel: eventual", async () => {
    const { t, get } = await tenant();
    const all = await fetch(`${app.url}/api/users/$count`, {
      headers: { authorization: `Bearer ${t.admin}`, ...eventual },
    });
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await all.text()).toBe("4");
    const guests = await get<number>(
      `/api/users/$count?$filter=${encodeURIComponent("userType eq 'Guest'")}`,
      eventual,
    );
    expect(guests.body).toBe(1);
    const holders = await get<number>(`/api/users/$count?skuId=${apps}`, eventual);
    expect(holders.body).toBe(1);
    const without = await get<Problem>("/api/users/$count");
    expect(without.status).toBe(400);
    expect(without.body.detail).toContain("ConsistencyLevel: eventual");
  });
});

describe("a user named by userPrincipalName", () => {
  it("is served by every /users/{id} route, in any case", async () => {
    const { t, users } = await tenant();
    const upn = "ALEX.Wilber@Contoso.EXAMPLE";
    const call = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      t.call<T>(method, `/api/users/${encodeURIComponent(upn)}${path}`, body);

    expect((await call<UserBody>("GET", "")).body.id).toBe(users.alex.id);
    expect((await call("PATCH", "", { displayName: "Alex W." })).status).toBe(204);
    expect((await call<UserBody>("GET", "")).body.displayName).toBe("Alex W.");
    const assigned = await call<UserBody>("POST", "/assignLicense", {
      addLicenses: [],
      removeLicenses: [basic],
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedLicenses).toEqual([{ skuId: apps, disabledPlans: [] }]);
    expect((await call<{ value: unknown[] }>("GET", "/licenseDetails")).body.value).toHaveLength(1);
    expect((await call("GET", "/mailbox")).status).toBe(200);
    expect((await call("GET", "/provisioning")).status).toBe(200);
    const installed = await call<{ id: string }>("POST", "/officeInstalls", {
      deviceName: "PC-1",
      platform: "Windows",
    });
    expect(installed.status).toBe(201);
    expect(installed.headers.get("location")).toBe(
      `/api/users/${users.alex.id}/officeInstalls/${installed.body.id}`,
    );
    expect((await call("DELETE", `/officeInstalls/${installed.body.id}`)).status).toBe(204);
    expect((await call("DELETE", "")).status).toBe(204);
    expect((await call("GET", "")).status).toBe(404);
    const restored = await call<UserBody>("POST", "/restore");
    expect(restored.status).toBe(200);
    expect(restored.body.id).toBe(users.alex.id);
  });

  it("reads the name's reservation and that user only, never a listing", async () => {
    const { t, users } = await tenant();
    const { store } = app.services.deps;
    const listings = (
      [
        "listUsers",
        "listUserIds",
        "listHolderIds",
        "listAllHolderIds",
        "getUsers",
        "listActiveUserIds",
      ] as const
    ).map((name) => vi.spyOn(store, name));
    const byName = vi.spyOn(store, "findUserIdByPrincipalName");
    const getUser = vi.spyOn(store, "getUser");
    try {
      expect((await t.call<UserBody>("GET", "/api/users/megan.bowen@contoso.example")).body.id).toBe(
        users.megan.id,
      );
      const filtered = await app.call<Users>(
        "GET",
        `/api/users?$filter=${encodeURIComponent("userPrincipalName eq 'megan.bowen@contoso.example'")}`,
        { token: t.admin },
      );
      expect(filtered.body.value.map((u) => u.id)).toEqual([users.megan.id]);
      for (const listing of listings) expect(listing).not.toHaveBeenCalled();
      expect(byName).toHaveBeenCalledTimes(2);
      expect(getUser.mock.calls.map(([, id]) => id)).toEqual([users.megan.id, users.megan.id]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("is another tenant's name only in that tenant", async () => {
    const { users } = await tenant();
    const other = await newTenant(app);
    expect((await other.call("GET", "/api/users/alex.wilber@contoso.example")).status).toBe(404);
    const filtered = await other.call<Users>(
      "GET",
      `/api/users?$filter=${encodeURIComponent("userPrincipalName eq 'alex.wilber@contoso.example'")}`,
    );
    expect(filtered.body.value).toEqual([]);
    expect(users.alex.id).toBeDefined();
  });

  it("answers 404, never 500, for a key that names no user", async () => {
    const { t } = await tenant();
    const keys = [
      "nobody@contoso.example",
      "not-a-key",
      "%00%40x",
      `${"a".repeat(300)}@contoso.example`,
      "%E2%80%AE%40x",
      "%24count%40x",
    ];
    for (const key of keys) {
      const response = await t.call<Problem>("GET", `/api/users/${key}`);
      expect(response.status, key).toBe(404);
      expect(response.body.code, key).toBe("NotFound");
      expect(
        (await t.call("POST", `/api/users/${key}/assignLicense`, { removeLicenses: [basic] })).status,
        key,
      ).toBe(404);
    }
  });
});
