// ETags and If-Match over HTTP: every response returning one user or subscription carries the
// record's ETag; a write with a stale If-Match answers 412 PreconditionFailed and changes nothing,
// also when two writers race with the same ETag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

const sku = skus.businessBasic;

/** A tenant whose calls may send headers (If-Match). */
async function tenant() {
  const t = await newTenant(app);
  const send = <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => app.call<T>(method, path, { token: t.admin, headers, ...(body === undefined ? {} : { body }) });
  const etagOf = async (path: string): Promise<string> => {
    const response = await send("GET", path);
    expect(response.status).toBe(200);
    const etag = response.headers.get("etag");
    if (!etag) throw new Error(`GET ${path} answered no ETag`);
    return etag;
  };
  return { ...t, send, etagOf };
}

describe("ETag", () => {
  it("is on every response that returns one user or subscription, and changes with the record", async () => {
    const t = await tenant();
    const bought = await t.send("POST", "/api/subscriptions", { skuId: sku, seats: 2 });
    const selfService = await t.send<{ id: string }>("POST", "/api/subscriptions", {
      skuId: skus.exchangePlan1,
      seats: 1,
      purchaseChannel: "SelfService",
    });
    const created = await t.send<{ id: string }>("POST", "/api/users", {
      userPrincipalName: "ada@contoso.example",
      displayName: "Ada",
    });
    const userPath = `/api/users/${created.body.id}`;
    const gotUser = await t.send("GET", userPath);
    const assigned = await t.assign(created.body.id, { addLicenses: [{ skuId: sku }], removeLicenses: [] });
    const regot = await t.send("GET", userPath);
    const preview = await t.send("POST", `${userPath}/assignLicense?dryRun=true`, {
      removeLicenses: [sku],
    });
    const subscriptionPath = `/api/subscriptions/${selfService.body.id}`;
    const gotSubscription = await t.send("GET", subscriptionPath);
    const takenOver = await t.send("POST", `${subscriptionPath}/takeOver`);
    expect((await t.send("DELETE", userPath)).status).toBe(204);
    const restored = await t.send("POST", `${userPath}/restore`);

    const responses = { bought, selfService, created, gotUser, assigned, regot, preview };
    for (const [name, response] of Object.entries({ ...responses, gotSubscription, takenOver, restored })) {
      expect(response.status, name).toBeLessThan(300);
      expect(response.headers.get("etag"), name).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    }
    // A user's ETag is the one of its last change, and a read returns it until the next one.
    expect(gotUser.headers.get("etag")).toBe(created.headers.get("etag"));
    expect(assigned.headers.get("etag")).not.toBe(gotUser.headers.get("etag"));
    expect(regot.headers.get("etag")).toBe(assigned.headers.get("etag"));
    expect(preview.headers.get("etag")).toBe(assigned.headers.get("etag"));
    expect(gotSubscription.headers.get("etag")).toBe(selfService.headers.get("etag"));
    expect(takenOver.headers.get("etag")).not.toBe(gotSubscription.headers.get("etag"));
  });

  it("serves GET /api/subscriptions/{id}, and 404 for another tenant's subscription", async () => {
    const t = await tenant();
    const other = await tenant();
    const { id } = await t.buy(sku, 3);

    const got = await t.send("GET", `/api/subscriptions/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, skuId: sku, seats: 3 });
    expect((await other.send("GET", `/api/subscriptions/${id}`)).status).toBe(404);
  });
});

describe("If-Match on PATCH /api/users/{id}", () => {
  it("changes the user with the current ETag, and the ETag of a GET changes after it", async () => {
    const t = await tenant();
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const before = await t.etagOf(path);

    const patched = await t.send(
      "PATCH",
      path,
      { displayName: "Ada L." },
      { "If-Match": before, Prefer: "return=representation" },
    );

    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe("Ada L.");
    const after = await t.etagOf(path);
    expect(after).not.toBe(before);
    expect(after).toBe(patched.headers.get("etag"));
  });

  it("answers 412 PreconditionFailed with a stale ETag and changes nothing", async () => {
    const t = await tenant();
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const stale = await t.etagOf(path);
    expect((await t.send("PATCH", path, { displayName: "First" })).status).toBe(204);
    const current = await t.etagOf(path);

    const refused = await t.send("PATCH", path, { displayName: "Second" }, { "If-Match": stale });

    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe("PreconditionFailed");
    expect(refused.body.detail).toMatch(/changed since .*If-Match.*GET it again/);
    const reread = await t.send("GET", path);
    expect(reread.body.displayName).toBe("First");
    expect(reread.headers.get("etag")).toBe(current);
  });

  it("matches any existing user with *, and is a 400 when malformed", async () => {
    const t = await tenant();
    const user = await t.user();
    const path = `/api/users/${user.id}`;

    const any = await t.send("PATCH", path, { displayName: "Any" }, { "If-Match": "*" });
    expect(any.status).toBe(204);
    const malformed = await t.send("PATCH", path, { displayName: "Bad" }, { "If-Match": "not-quoted" });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("ValidationFailed");
    expect(malformed.body.detail).toMatch(/If-Match/);
    expect((await t.send("GET", path)).body.displayName).toBe("Any");
  });

  it("lets exactly one of two PATCHes racing with the same ETag through; the other gets 412", async () => {
    const t = await tenant();
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const etag = await t.etagOf(path);

    const answers = await Promise.all(
      ["Racer A", "Racer B"].map((displayName) =>
        t.send("PATCH", path, { displayName }, { "If-Match": etag, Prefer: "return=representation" }),
      ),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200);
    expect((await t.send("GET", path)).body.displayName).toBe(winner?.body.displayName);
  });
});

describe("If-Match on assignLicense", () => {
  it("answers 412 with a stale ETag, also for a dry run, and takes no seat", async () => {
    const t = await tenant();
    await t.buy(sku, 1);
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const stale = await t.etagOf(path);
    expect((await t.send("PATCH", path, { displayName: "Renamed" })).status).toBe(204);
    const skusBefore = await t.send("GET", "/api/subscribedSkus");
    const add = { addLicenses: [{ skuId: sku }] };

    const refused = await t.send("POST", `${path}/assignLicense`, add, { "If-Match": stale });
    const dryRun = await t.send("POST", `${path}/assignLicense?dryRun=true`, add, { "If-Match": stale });

    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe("PreconditionFailed");
    expect(dryRun.status).toBe(412);
    expect((await t.send("GET", "/api/subscribedSkus")).body).toEqual(skusBefore.body);
    expect((await t.send("GET", path)).body.assignedLicenses).toEqual([]);

    const current = await t.etagOf(path);
    const assigned = await t.send("POST", `${path}/assignLicense`, add, { "If-Match": current });
    expect(assigned.status).toBe(200);
    expect((await t.sku(sku)).consumedUnits).toBe(1);
  });
});

describe("If-Match on PATCH /api/subscriptions/{id} and DELETE /api/users/{id}", () => {
  it("answers 412 to a seats change with a stale ETag and keeps the seats", async () => {
    const t = await tenant();
    const { id } = await t.buy(sku, 3);
    const path = `/api/subscriptions/${id}`;
    const stale = await t.etagOf(path);
    expect((await t.send("PATCH", path, { seats: 4 })).status).toBe(200);

    const refused = await t.send("PATCH", path, { seats: 10 }, { "If-Match": stale });

    expect(refused.status).toBe(412);
    expect(refused.body.code).toBe("PreconditionFailed");
    expect((await t.send("GET", path)).body.seats).toBe(4);
    expect((await t.sku(sku)).prepaidUnits.enabled).toBe(4);
    const current = await t.etagOf(path);
    const changed = await t.send("PATCH", path, { seats: 10 }, { "If-Match": current });
    expect(changed.status).toBe(200);
    expect(changed.body.seats).toBe(10);
  });

  it("takes over a self-service subscription only under its current ETag", async () => {
    const t = await tenant();
    const { id } = await t.buy(sku, 3, "SelfService");
    const path = `/api/subscriptions/${id}`;
    const stale = await t.etagOf(path);
    expect((await t.send("PATCH", path, { seats: 4 })).status).toBe(200);

    const refused = await t.send("POST", `${path}/takeOver`, undefined, { "If-Match": stale });

    expect([refused.status, refused.body.code]).toEqual([412, "PreconditionFailed"]);
    expect((await t.send("GET", path)).body.purchaseChannel).toBe("SelfService");
    const current = await t.etagOf(path);
    const taken = await t.send("POST", `${path}/takeOver`, undefined, { "If-Match": current });
    expect([taken.status, taken.body.purchaseChannel]).toEqual([200, "Admin"]);
  });

  it("keeps a user a DELETE with a stale ETag names", async () => {
    const t = await tenant();
    const user = await t.user();
    const path = `/api/users/${user.id}`;
    const stale = await t.etagOf(path);
    expect((await t.send("PATCH", path, { displayName: "Renamed" })).status).toBe(204);

    expect((await t.send("DELETE", path, undefined, { "If-Match": stale })).status).toBe(412);
    expect((await t.send("GET", path)).status).toBe(200);
    expect((await t.send("DELETE", path, undefined, { "If-Match": await t.etagOf(path) })).status).toBe(204);
  });
});
