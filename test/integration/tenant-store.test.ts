// The Table Storage adapter against Azurite: values beyond one property's 32K characters, the ETag
// guard that the seat invariant rests on, reading many users by range, and finding users by sign-in
// name (a point read), by prefix (a server-side filter) and by key only.
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cloudEvent } from "../../shared/domain/events.js";
import type { User } from "../../shared/domain/model.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import { emptyLedger } from "../../shared/domain/seats.js";
import { emptyProfile } from "../../shared/domain/user-profile.js";
import { OutboxStore } from "../../shared/storage/outbox-store.js";
import { TenantRecords } from "../../shared/storage/tenant-records.js";
import { backfillUserSearchFields } from "../../shared/storage/user-search-backfill.js";
import { ConcurrencyConflict, outboxRows, type Versioned } from "../../shared/usecases/ports.js";

let store: TenantRecords;
let client: TableClient;
/** Requests the store sent, by kind: range queries and point reads. */
const sent = { queries: 0, pointReads: 0 };
beforeAll(async () => {
  client = TableClient.fromConnectionString(
    inject("tablesConnection"),
    `s${randomUUID().replaceAll("-", "")}`,
    {
      allowInsecureConnection: true,
      additionalPolicies: [
        {
          position: "perCall",
          policy: {
            name: "countReads",
            sendRequest: (request, next) => {
              if (request.method === "GET" && request.url.includes("$filter=")) sent.queries++;
              else if (request.method === "GET" && request.url.includes("RowKey=")) sent.pointReads++;
              return next(request);
            },
          },
        },
      ],
    },
  );
  await client.createTable();
  store = new TenantRecords(client);
});

function newUser(i: number): User {
  return {
    id: randomUUID(),
    userPrincipalName: `user${i}@contoso.example`,
    displayName: `User ${i}`,
    accountEnabled: true,
    mailNickname: null,
    profile: emptyProfile,
    usageLocation: null,
    userType: "Member",
    mailboxType: "User",
    assignedLicenses: [],
    provisioning: initialProvisioning("User", randomUUID),
    litigationHold: false,
    createdAt: new Date().toISOString(),
  };
}

/** A tenant with `count` users, created 50 to a transaction. */
async function tenantWithUsers(count: number): Promise<{ tenantId: string; users: User[] }> {
  const tenantId = randomUUID();
  const users = Array.from({ length: count }, (_, i) => newUser(i));
  for (let i = 0; i < users.length; i += 50) {
    await store.commit(
      tenantId,
      users.slice(i, i + 50).map((user) => ({ kind: "createUser" as const, user })),
    );
  }
  return { tenantId, users };
}

/** What `getUsers` answers must be what reading each user alone answers. */
async function expectSameAsOneByOne(
  tenantId: string,
  asked: readonly string[],
  found: Map<string, Versioned<User> | undefined>,
): Promise<void> {
  expect([...found.keys()].sort()).toEqual([...new Set(asked)].sort());
  for (const id of asked) {
    const alone = await store.getUser(tenantId, id);
    expect(found.get(id)?.value).toEqual(alone?.value);
    expect(found.get(id)?.etag).toBe(alone?.etag);
  }
}

describe("reading many users", () => {
  it("reads close-lying ids with one range query per 200, unknown and repeated ids included", async () => {
    const { tenantId, users } = await tenantWithUsers(450);
    const sorted = users.map((u) => u.id).sort();
    // 300 of every 3 in 2 (dense), shuffled, with two unknown ids and one asked twice.
    const wanted = sorted.filter((_, i) => i % 3 !== 2).slice(0, 300);
    const asked = [...wanted.reverse(), randomUUID(), randomUUID(), wanted[7] ?? ""];
    const before = { ...sent };
    const found = await store.getUsers(tenantId, asked);
    expect(sent.queries - before.queries).toBe(2);
    expect(sent.pointReads - before.pointReads).toBe(0);
    expect([...found.values()].filter((u) => u === undefined)).toHaveLength(2);
    await expectSameAsOneByOne(tenantId, asked, found);
  });

  it("reads by point reads alone, no query, where range reads are off (Azurite)", async () => {
    const { tenantId, users } = await tenantWithUsers(30);
    const pointOnly = new TenantRecords(client, { rangeReads: false });
    const asked = [...users.map((u) => u.id).slice(0, 20), randomUUID()];
    const before = { ...sent };
    const found = await pointOnly.getUsers(tenantId, asked);
    expect(sent.queries - before.queries).toBe(0);
    expect(sent.pointReads - before.pointReads).toBe(21);
    await expectSameAsOneByOne(tenantId, asked, found);

    const jobId = randomUUID();
    const job = {
      id: jobId,
      operation: "add" as const,
      licenses: [],
      allowPartial: false,
      total: 2,
      chunkCount: 2,
      createdAt: "2026-12-06T10:00:00.000Z",
      createdBy: "t",
      mayLicenseGuests: false,
    };
    await pointOnly.commit(tenantId, [
      { kind: "createJob", job },
      {
        kind: "putChunk",
        chunk: { jobId, index: 0, userIds: ["a"], results: [{ userId: "a", outcome: "Succeeded" }] },
      },
      { kind: "putChunk", chunk: { jobId, index: 1, userIds: ["b"], results: [] } },
    ]);
    const queries = sent.queries;
    expect(await pointOnly.listChunkProgress(tenantId, job)).toEqual([
      { processed: 1, failed: 0 },
      { processed: 0, failed: 0 },
    ]);
    expect(sent.queries).toBe(queries);
  });

  it("reads a single id with a point read, not a query", async () => {
    const { tenantId, users } = await tenantWithUsers(3);
    const id = users[1]?.id ?? "";
    const before = { ...sent };
    const found = await store.getUsers(tenantId, [id, id]);
    expect(sent.queries - before.queries).toBe(0);
    expect(sent.pointReads - before.pointReads).toBe(1);
    await expectSameAsOneByOne(tenantId, [id], found);
  });

  it("reads the rest one by one when a range holds far more users than were asked for", async () => {
    const { tenantId, users } = await tenantWithUsers(300);
    const sorted = users.map((u) => u.id).sort();
    const asked = [0, 100, 200, 299].map((i) => sorted[i] ?? "");
    const before = { ...sent };
    const found = await store.getUsers(tenantId, asked);
    // The range read stops after twice the ids asked for; the three beyond it are read alone.
    expect(sent.queries - before.queries).toBe(1);
    expect(sent.pointReads - before.pointReads).toBe(3);
    await expectSameAsOneByOne(tenantId, asked, found);
  });
});

describe("the tenant store", () => {
  it("keeps an audit record whose before and after run past one property's 32K characters", async () => {
    const tenantId = randomUUID();
    const before = Array.from({ length: 3000 }, (_, i) => ({ userId: randomUUID(), index: i }));
    const after = before.map((entry) => ({ ...entry, changed: true }));
    expect(JSON.stringify(before).length).toBeGreaterThan(100_000);
    await store.commit(tenantId, [
      {
        kind: "audit",
        record: {
          id: randomUUID(),
          at: new Date().toISOString(),
          actorId: "t",
          action: "big",
          target: "job/x",
          before,
          after,
        },
      },
    ]);
    const [record] = await store.listAudit(tenantId);
    expect(record?.before).toEqual(before);
    expect(record?.after).toEqual(after);
  });

  it("refuses, as a ConcurrencyConflict, a ledger write based on a stale ETag", async () => {
    const tenantId = randomUUID();
    const skuId = randomUUID();
    await store.commit(tenantId, [{ kind: "putLedger", ledger: { ...emptyLedger(skuId), enabledAdmin: 5 } }]);
    const read = await store.getLedger(tenantId, skuId);
    if (!read) throw new Error("no ledger");
    await store.commit(tenantId, [
      { kind: "putLedger", ledger: { ...read.value, consumed: 1 }, etag: read.etag },
    ]);
    await expect(
      store.commit(tenantId, [
        { kind: "putLedger", ledger: { ...read.value, consumed: 2 }, etag: read.etag },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect((await store.getLedger(tenantId, skuId))?.value.consumed).toBe(1);
  });
});

describe("a user's Graph properties", () => {
  it("keeps accountEnabled, mailNickname and every profile property, and clears one set to null", async () => {
    const tenantId = randomUUID();
    const profile = {
      givenName: "Adele",
      surname: "Vance",
      mail: "adele@contoso.example",
      jobTitle: "Retail Manager",
      mobilePhone: "+1 425 555 0109",
      officeLocation: "18/2111",
      preferredLanguage: "en-US",
      businessPhones: ["+1 425 555 0109"],
    };
    const user: User = { ...newUser(0), accountEnabled: false, mailNickname: "AdeleV", profile };
    await store.commit(tenantId, [{ kind: "createUser", user }]);
    const read = await store.getUser(tenantId, user.id);
    expect(read?.value).toEqual(user);

    const cleared = { ...user, profile: { ...profile, jobTitle: null, businessPhones: [] } };
    await store.commit(tenantId, [{ kind: "updateUser", user: cleared, etag: read?.etag ?? "" }]);
    expect((await store.getUser(tenantId, user.id))?.value).toEqual(cleared);
    const row = await client.getEntity<Record<string, unknown>>(tenantId, `user|${user.id}`);
    expect(row).not.toHaveProperty("jobTitle");
    expect(row).not.toHaveProperty("businessPhones");
  });

  it("reads a row written before they were kept as an enabled user with no alias and nothing set", async () => {
    const { tenantId, users } = await tenantWithUsers(1);
    const id = users[0]?.id ?? "";
    const { etag, accountEnabled, mailNickname, ...old } = await client.getEntity<Record<string, unknown>>(
      tenantId,
      `user|${id}`,
    );
    expect(accountEnabled).toBe(true);
    await client.updateEntity({ ...old, partitionKey: tenantId, rowKey: `user|${id}` }, "Replace", { etag });

    const read = await store.getUser(tenantId, id);
    expect(read?.value).toMatchObject({ accountEnabled: true, mailNickname: null, profile: emptyProfile });
  });
});

describe("usage location and the organization", () => {
  it("keeps a user's usageLocation as a column, cleared to nothing, and reads a row without it as null", async () => {
    const tenantId = randomUUID();
    const user: User = { ...newUser(0), usageLocation: "SE" };
    await store.commit(tenantId, [{ kind: "createUser", user }]);
    const read = await store.getUser(tenantId, user.id);
    expect(read?.value.usageLocation).toBe("SE");
    expect((await client.getEntity<Record<string, unknown>>(tenantId, `user|${user.id}`)).usageLocation).toBe(
      "SE",
    );

    await store.commit(tenantId, [
      { kind: "updateUser", user: { ...user, usageLocation: null }, etag: read?.etag ?? "" },
    ]);
    expect(await client.getEntity<Record<string, unknown>>(tenantId, `user|${user.id}`)).not.toHaveProperty(
      "usageLocation",
    );
    expect((await store.getUser(tenantId, user.id))?.value.usageLocation).toBeNull();
  });

  it("keeps a user's license sources and memberships, and the members in error as an index", async () => {
    const tenantId = randomUUID();
    const groupId = randomUUID();
    const since = "2026-12-06T10:00:00.000Z";
    const user: User = {
      ...newUser(0),
      licenseSources: [{ skuId: "s", groupId, disabledPlans: [], error: "CountViolation", updatedAt: since }],
      memberOf: [{ groupId, licenseVersion: 2 }],
    };
    await store.commit(tenantId, [
      { kind: "createUser", user },
      { kind: "addMember", groupId, userId: user.id },
      {
        kind: "putLicenseError",
        entry: { groupId, userId: user.id, error: "CountViolation", skuIds: ["s"], since },
      },
    ]);
    const read = await store.getUser(tenantId, user.id);
    expect(read?.value).toMatchObject({ licenseSources: user.licenseSources, memberOf: user.memberOf });
    expect(await store.listAllMemberIds(tenantId, groupId)).toEqual([user.id]);
    expect(await store.listLicenseErrors(tenantId)).toEqual([
      { groupId, userId: user.id, error: "CountViolation", skuIds: ["s"], since },
    ]);
    await store.commit(tenantId, [{ kind: "removeLicenseError", groupId, userId: user.id }]);
    expect(await store.listLicenseErrors(tenantId, groupId)).toEqual([]);
  });

  it("reads a job's progress from the chunks' counting columns, and a chunk stored before them whole", async () => {
    const tenantId = randomUUID();
    const jobId = randomUUID();
    const results = [
      { userId: "a", outcome: "Succeeded" as const },
      { userId: "b", outcome: "Failed" as const, code: "CountViolation" },
    ];
    await store.commit(tenantId, [
      {
        kind: "putChunk",
        chunk: { jobId, index: 0, userIds: ["a", "b"], results, completedAt: "2026-12-06T10:00:00.000Z" },
      },
      { kind: "putChunk", chunk: { jobId, index: 1, userIds: ["c"], results: [] } },
    ]);
    // As a row written before the counting columns existed: only the packed chunk.
    const old = {
      jobId,
      index: 2,
      userIds: ["d"],
      results: [{ userId: "d", outcome: "Succeeded" as const }],
    };
    await client.createEntity({
      partitionKey: tenantId,
      rowKey: `jobchunk|${jobId}|00002`,
      chunk: JSON.stringify(old),
    });
    const progress = await store.listChunkProgress(tenantId, { id: jobId, chunkCount: 3 });
    expect(progress).toEqual([
      { processed: 2, failed: 1, completedAt: "2026-12-06T10:00:00.000Z" },
      { processed: 0, failed: 0 },
      { processed: 1, failed: 0 },
    ]);
  });

  it("keeps one organization row, created then replaced under its ETag, and answers cached reads from its copy", async () => {
    const tenantId = randomUUID();
    expect(await store.getOrganization(tenantId)).toBeUndefined();
    const organization = {
      displayName: "Contoso Sverige AB",
      countryLetterCode: "SE",
      createdAt: "2024-01-10T09:00:00.000Z",
    };
    await store.commit(tenantId, [{ kind: "putOrganization", organization }]);
    const read = await store.getOrganization(tenantId);
    expect(read?.value).toEqual(organization);
    await expect(store.commit(tenantId, [{ kind: "putOrganization", organization }])).rejects.toBeInstanceOf(
      ConcurrencyConflict,
    );

    // Another process changes it: a cached read still answers this process's copy, a fresh one the row.
    expect((await store.getOrganization(tenantId))?.etag).toBe(read?.etag);
    const elsewhere = new TenantRecords(client);
    const moved = { ...organization, countryLetterCode: "NO" };
    await elsewhere.commit(tenantId, [
      { kind: "putOrganization", organization: moved, etag: read?.etag ?? "" },
    ]);
    expect((await store.getOrganization(tenantId, { cached: true }))?.value.countryLetterCode).toBe("SE");
    expect((await store.getOrganization(tenantId))?.value.countryLetterCode).toBe("NO");
  });
});

describe("finding users", () => {
  it("finds a user id by sign-in name, in any case, with one point read and no query", async () => {
    const { tenantId, users } = await tenantWithUsers(3);
    const before = { ...sent };
    expect(await store.findUserIdByPrincipalName(tenantId, "USER1@Contoso.Example")).toBe(users[1]?.id);
    expect(await store.findUserIdByPrincipalName(tenantId, "nobody@contoso.example")).toBeUndefined();
    expect(sent.pointReads - before.pointReads).toBe(2);
    expect(sent.queries - before.queries).toBe(0);
  });

  it("filters by a case-insensitive prefix and a user type on the server, and counts by key", async () => {
    const { tenantId, users } = await tenantWithUsers(12);
    const prefixes = [{ property: "displayName" as const, prefix: "USER 1" }];
    const page = await store.listUsers(tenantId, { top: 100, prefixes });
    expect(page.items.map((u) => u.displayName).sort()).toEqual(["User 1", "User 10", "User 11"]);
    expect(await store.listUsers(tenantId, { top: 100, prefixes, userType: "Guest" })).toEqual({ items: [] });
    const ids = await store.listUserIds(tenantId, {
      prefixes: [{ property: "userPrincipalName", prefix: "user1" }],
    });
    expect([...ids].sort()).toEqual([users[1], users[10], users[11]].map((u) => u?.id).sort());
  });

  it("finds rows written before the lower-cased copies once backfilled", async () => {
    const { tenantId, users } = await tenantWithUsers(2);
    const id = users[0]?.id ?? "";
    // As such a row was written: without displayNameLower and userPrincipalNameLower.
    const { etag, displayNameLower, userPrincipalNameLower, ...old } = await client.getEntity<
      Record<string, unknown>
    >(tenantId, `user|${id}`);
    expect([displayNameLower, userPrincipalNameLower]).toEqual(["user 0", "user0@contoso.example"]);
    await client.updateEntity({ ...old, partitionKey: tenantId, rowKey: `user|${id}` }, "Replace", { etag });
    const prefixes = [{ property: "displayName" as const, prefix: "user 0" }];
    expect((await store.listUsers(tenantId, { top: 10, prefixes })).items).toEqual([]);

    const result = await backfillUserSearchFields(client);
    expect(result.updated).toBe(1);
    expect((await store.listUsers(tenantId, { top: 10, prefixes })).items.map((u) => u.id)).toEqual([id]);
    expect((await backfillUserSearchFields(client)).updated).toBe(0);
  });
});

describe("the outbox's rows", () => {
  const event = (id: string) =>
    cloudEvent("license.assigned", id, "2024-03-01T12:00:00.000Z", `users/${id}`, {
      tenantId: "t",
      userId: id,
    });

  it("keeps a commit's events in one row, and still reads a row written when a row held one event", async () => {
    const tenantId = randomUUID();
    const outbox = new OutboxStore(client);
    const events = [event("e1"), event("e2"), event("e3")];
    const [row] = outboxRows(events);
    if (!row) throw new Error("no row");
    await store.commit(tenantId, [{ kind: "outbox", row }]);
    // A row as the outbox wrote them before: one event in an `event` property.
    const old = event("e0");
    await client.createEntity({
      partitionKey: tenantId,
      rowKey: `outbox|${old.id}`,
      event: JSON.stringify(old),
      at: "2024-03-01T11:00:00.000Z",
    });

    const rows = await outbox.listOutbox(tenantId);

    expect(rows.map((r) => [r.id, r.events.map((e) => e.id)])).toEqual([
      ["e0", ["e0"]],
      ["e1", ["e1", "e2", "e3"]],
    ]);
    expect(rows[1]?.events).toEqual(events);
    await outbox.deleteOutbox(tenantId, ["e0", "e1"]);
    expect(await outbox.listOutbox(tenantId)).toEqual([]);
  });
});
