// handleQueueMessage and recordRejectedEvent against in-memory ports: an event that can never be
// applied raises EventRejected with its code; a lost race or a refusal to retry is not a rejection.
import { describe, expect, it } from "vitest";
import { EventRejected } from "../../../shared/domain/event-rejected.js";
import { ProblemError } from "../../../shared/domain/problem.js";
import { createGroup } from "../../../shared/usecases/create-group.js";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { handleQueueMessage } from "../../../shared/usecases/handle-queue-message.js";
import { ConcurrencyConflict, systemRejectionPartition } from "../../../shared/usecases/ports.js";
import { listMembers } from "../../../shared/usecases/read-groups.js";
import { recordRejectedEvent } from "../../../shared/usecases/rejected-events.js";
import { skus } from "../../support/catalog-ids.js";
import { addUser, admin, buySeats, stored, tenantId, type World, world } from "./fixture.js";

const sku = skus.businessBasic;
const unknownUser = "00000000-0000-4000-8000-999999999999";

const event = (type: string, data: unknown, id = "evt-1") => ({
  specversion: "1.0",
  id,
  source: "/hr-system",
  type,
  time: "2024-03-01T11:59:00.000Z",
  data,
});

async function rejection(promise: Promise<unknown>): Promise<EventRejected> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EventRejected)) throw new Error(`expected EventRejected, got ${String(error)}`);
  return error;
}

describe("handleQueueMessage rejects what can never be applied", () => {
  it.each([
    ["a body that is not JSON", "{not json", "InvalidJson"],
    ["a body that is not a CloudEvent", { hello: "world" }, "InvalidCloudEvent"],
    ["an event of an unknown type", event("user.promoted", { tenantId }), "UnsupportedEventType"],
    [
      "an event with invalid data",
      event("mailbox.sizeReported", { tenantId, userId: "x" }),
      "InvalidEventData",
    ],
  ])("rejects %s with %s", async (_, body, code) => {
    const w = world();
    const rejected = await rejection(handleQueueMessage(w.deps, body));
    expect(rejected.code).toBe(code);
    expect(w.records.commits).toEqual([]);
  });

  it("rejects user.offboarded of a user that does not exist with NotFound", async () => {
    const w = world();
    const rejected = await rejection(
      handleQueueMessage(w.deps, event("user.offboarded", { tenantId, userId: unknownUser })),
    );
    expect(rejected.code).toBe("NotFound");
  });

  it("rejects a license.assignRequested beyond the last seat with CountViolation, changing nothing", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    await addUser(w, "ada", [sku]);
    const bob = await addUser(w, "bob");

    const rejected = await rejection(
      handleQueueMessage(
        w.deps,
        event("license.assignRequested", { tenantId, userId: bob.id, addLicenses: [{ skuId: sku }] }),
      ),
    );

    expect(rejected.code).toBe("CountViolation");
    expect((await stored(w, bob.id)).assignedLicenses).toEqual([]);
  });
});

describe("handleQueueMessage applies what it can", () => {
  it("retries a race lost to another writer and applies the event: a lost race is not a rejection", async () => {
    const w = world();
    await buySeats(w, sku, 2);
    const bob = await addUser(w, "bob");
    const commit = w.records.commit.bind(w.records);
    let lost = 0;
    w.records.commit = async (id, writes) => {
      if (lost++ === 0) throw new ConcurrencyConflict("another writer won");
      return commit(id, writes);
    };

    const result = await handleQueueMessage(
      w.deps,
      event("license.assignRequested", { tenantId, userId: bob.id, addLicenses: [{ skuId: sku }] }),
    );

    expect(lost).toBeGreaterThan(1);
    expect(result).toEqual({ type: "license.assignRequested", changed: true });
    expect((await stored(w, bob.id)).assignedLicenses.map((l) => l.skuId)).toEqual([sku]);
  });

  it("leaves a race lost on every try to the queue's retry (TooManyRequests), not rejected", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const bob = await addUser(w, "bob");
    w.records.commit = async () => {
      throw new ConcurrencyConflict("another writer always wins");
    };

    const error = await handleQueueMessage(
      w.deps,
      event("license.assignRequested", { tenantId, userId: bob.id, addLicenses: [{ skuId: sku }] }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).not.toBeInstanceOf(EventRejected);
    expect(error).toBeInstanceOf(ProblemError);
    expect(error).toMatchObject({ code: "TooManyRequests" });
  });

  it("provisions a user on license.assigned, and a second delivery changes nothing", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    const ada = await addUser(w, "ada", [sku]);
    const assigned = event("license.assigned", { tenantId, userId: ada.id, skuId: sku });

    expect(await handleQueueMessage(w.deps, assigned)).toEqual({ type: "license.assigned", changed: true });
    expect((await stored(w, ada.id)).provisioning.mailbox.state).toBe("Active");
    expect(await handleQueueMessage(w.deps, assigned)).toEqual({ type: "license.assigned", changed: false });
  });

  it("records a reported mailbox size once: the same size again changes nothing", async () => {
    const w = world();
    const ada = await addUser(w, "ada", [], { mailboxType: "Shared" });
    const report = event("mailbox.sizeReported", { tenantId, userId: ada.id, sizeGB: 60 });

    expect((await handleQueueMessage(w.deps, report)).changed).toBe(true);
    expect((await stored(w, ada.id)).provisioning.mailbox.sizeGB).toBe(60);
    expect((await handleQueueMessage(w.deps, report)).changed).toBe(false);
  });
});

describe("handleQueueMessage applies producers' membership events once", () => {
  const unknownGroup = "00000000-0000-4000-8000-888888888888";

  async function salesGroup(w: World): Promise<string> {
    return (await createGroup(w.deps, admin, { displayName: "Sales", mailNickname: "sales" })).value.id;
  }
  const memberIds = async (w: World, groupId: string) =>
    (await listMembers(w.deps, tenantId, groupId, { top: 100 })).items.map((u) => u.id);

  it("adds a member by id, and a redelivery leaves one member and changes nothing", async () => {
    const w = world();
    const groupId = await salesGroup(w);
    const ada = await addUser(w, "ada");
    const added = event("group.memberAdded", { tenantId, groupId, userId: ada.id.toUpperCase() });

    expect(await handleQueueMessage(w.deps, added)).toEqual({ type: "group.memberAdded", changed: true });
    expect(await handleQueueMessage(w.deps, added)).toEqual({ type: "group.memberAdded", changed: false });
    expect(await memberIds(w, groupId)).toEqual([ada.id]);
    const audit = (await w.deps.store.listAudit(tenantId)).filter((r) => r.action === "addGroupMember");
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actorId).toContain("producer:/hr-system");
  });

  it("adds a member by userPrincipalName in any case", async () => {
    const w = world();
    const groupId = await salesGroup(w);
    const ada = await addUser(w, "ada");

    const result = await handleQueueMessage(
      w.deps,
      event("group.memberAdded", { tenantId, groupId, userPrincipalName: "Ada@CONTOSO.example" }),
    );

    expect(result.changed).toBe(true);
    expect(await memberIds(w, groupId)).toEqual([ada.id]);
  });

  it("removes a member by id or name, and a redelivery changes nothing", async () => {
    const w = world();
    const groupId = await salesGroup(w);
    const ada = await addUser(w, "ada");
    const bob = await addUser(w, "bob");
    for (const user of [ada, bob]) {
      await handleQueueMessage(w.deps, event("group.memberAdded", { tenantId, groupId, userId: user.id }));
    }
    const removed = event("group.memberRemoved", { tenantId, groupId, userId: ada.id });

    expect(await handleQueueMessage(w.deps, removed)).toEqual({ type: "group.memberRemoved", changed: true });
    expect(await handleQueueMessage(w.deps, removed)).toEqual({
      type: "group.memberRemoved",
      changed: false,
    });
    const byName = event("group.memberRemoved", {
      tenantId,
      groupId,
      userPrincipalName: "BOB@contoso.example",
    });
    expect((await handleQueueMessage(w.deps, byName)).changed).toBe(true);
    expect(await memberIds(w, groupId)).toEqual([]);
  });

  it.each([
    [
      "group.memberAdded",
      "an unknown group",
      { groupId: unknownGroup, userId: "<ada>" },
      "NotFound",
      unknownGroup,
    ],
    [
      "group.memberRemoved",
      "an unknown group",
      { groupId: unknownGroup, userId: "<ada>" },
      "NotFound",
      unknownGroup,
    ],
    ["group.memberAdded", "an unknown user id", { userId: unknownUser }, "NotFound", unknownUser],
    ["group.memberRemoved", "an unknown user id", { userId: unknownUser }, "NotFound", unknownUser],
    [
      "group.memberAdded",
      "an unknown userPrincipalName",
      { userPrincipalName: "nobody@contoso.example" },
      "NotFound",
      "nobody@contoso.example",
    ],
    [
      "group.memberRemoved",
      "an unknown userPrincipalName",
      { userPrincipalName: "nobody@contoso.example" },
      "NotFound",
      "nobody@contoso.example",
    ],
    [
      "group.memberAdded",
      "both userId and userPrincipalName",
      { userId: "<ada>", userPrincipalName: "ada@contoso.example" },
      "InvalidEventData",
      "give userId or userPrincipalName",
    ],
    ["group.memberRemoved", "neither userId nor userPrincipalName", {}, "InvalidEventData", "give userId"],
    [
      "group.memberAdded",
      "a name that is no userPrincipalName",
      { userPrincipalName: "ada" },
      "InvalidEventData",
      "alias@domain",
    ],
  ] as [string, string, Record<string, string>, string, string][])(
    "rejects %s naming %s",
    async (type, _, named, code, detail) => {
      const w = world();
      const groupId = await salesGroup(w);
      const ada = await addUser(w, "ada");
      const data = Object.fromEntries(
        Object.entries({ tenantId, groupId, ...named }).map(([k, v]) => [k, v === "<ada>" ? ada.id : v]),
      );

      const rejected = await rejection(handleQueueMessage(w.deps, event(type, data, "evt-42")));

      expect(rejected.code).toBe(code);
      expect(rejected.detail).toContain(`${type} evt-42`);
      expect(rejected.detail).toContain(detail);
      expect(await memberIds(w, groupId)).toEqual([]);
    },
  );

  it("rejects removing a deleted user who is no member (NotFound), and adding one", async () => {
    const w = world();
    const groupId = await salesGroup(w);
    const bob = await addUser(w, "bob");
    await deleteUser(w.deps, admin, bob.id);

    for (const type of ["group.memberAdded", "group.memberRemoved"]) {
      const rejected = await rejection(
        handleQueueMessage(w.deps, event(type, { tenantId, groupId, userId: bob.id })),
      );
      expect(rejected.code).toBe("NotFound");
    }
  });
});

describe("recordRejectedEvent", () => {
  const delivery = { messageId: "msg-1", enqueuedAt: "2024-03-01T11:59:30.000Z", deliveryCount: 1 };

  it("records a rejection where the event's tenant reads it, and a redelivery replaces it", async () => {
    const w = world();
    const body = event("user.offboarded", { tenantId, userId: unknownUser });
    const rejected = new EventRejected("NotFound", "no such user");

    const first = await recordRejectedEvent(w.deps, body, rejected, delivery);
    await recordRejectedEvent(w.deps, body, rejected, { ...delivery, deliveryCount: 2 });

    expect(first.tenantId).toBe(tenantId);
    const page = await w.deps.rejectedEvents.list(tenantId, { top: 10 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      id: first.record.id,
      code: "NotFound",
      deliveryCount: 2,
      eventId: "evt-1",
    });
  });

  it("keeps an event naming no tenant in the system partition only", async () => {
    const w = world();
    const result = await recordRejectedEvent(
      w.deps,
      "{not json",
      new EventRejected("InvalidJson", "x"),
      delivery,
    );

    expect(result.tenantId).toBeUndefined();
    expect((await w.deps.rejectedEvents.list(systemRejectionPartition, { top: 10 })).items).toHaveLength(1);
  });
});
