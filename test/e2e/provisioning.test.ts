// Provisioning fan-out through the real Service Bus SDK and the local broker (R17, R21): the
// outbox, the worker, idempotency, rejected events, producers' events and Office installs.
import { randomUUID } from "node:crypto";
import functionsLibrary from "@azure/functions";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { handleProvisioningMessage } from "../../functions/provisioning-worker.js";
import type { CloudEvent } from "../../shared/domain/events.js";
import { ProblemError } from "../../shared/domain/problem.js";
import { toMessage } from "../../shared/messaging/service-bus-publisher.js";
import type { EventPublisher } from "../../shared/usecases/deps.js";
import { handleQueueMessage } from "../../shared/usecases/handle-queue-message.js";
import { ConcurrencyConflict, systemRejectionPartition } from "../../shared/usecases/ports.js";
import { plans, skus } from "../support/catalog-ids.js";
import { eventually } from "../support/eventually.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";
import { minutes, TestClock } from "../support/test-clock.js";

/** Fails while `failing` is set, as a process that dies between commit and send would. */
class FlakyPublisher implements EventPublisher {
  failing = false;
  constructor(private readonly real: EventPublisher) {}
  publish(events: readonly CloudEvent[]): Promise<void> {
    if (this.failing) return Promise.reject(new Error("simulated crash before send"));
    return this.real.publish(events);
  }
}

let app: TestApp;
let flaky: FlakyPublisher | undefined;
const clock = new TestClock();
let client: ServiceBusClient;

beforeAll(async () => {
  app = await startTestApp({
    clock,
    publisher: (real) => {
      flaky = new FlakyPublisher(real);
      return flaky;
    },
  });
  client = new ServiceBusClient(inject("serviceBusConnection"));
});
afterAll(async () => {
  await client?.close();
  await app?.close();
});

const queue = () => app.services.config.provisioningQueue;
const { InvocationContext } = functionsLibrary;

/**
 * Runs `act` with the publisher failing, as a process that dies between commit and send would,
 * until the outbox has tried (and failed) to send what `act` committed: its events stay in the
 * outbox. The outbox sends in the background, a moment after the commit, so the publisher is
 * released only once that send attempt is over.
 */
async function withEventsHeldBack(act: () => Promise<unknown>): Promise<void> {
  if (!flaky) throw new Error("no publisher");
  flaky.failing = true;
  try {
    await act();
    await app.services.deps.outbox.flush();
  } finally {
    flaky.failing = false;
  }
}

interface Details {
  value: { skuId: string; servicePlans: { servicePlanName: string; provisioningStatus: string }[] }[];
}

async function planStatuses(t: Awaited<ReturnType<typeof newTenant>>, userId: string) {
  const details = await t.call<Details>("GET", `/api/users/${userId}/licenseDetails`);
  return details.body.value.flatMap((l) => l.servicePlans.map((p) => p.provisioningStatus));
}

const allDone = (statuses: string[]) =>
  statuses.length > 0 && statuses.every((s) => s === "Success" || s === "Disabled");

/** Every message in the queue or its dead-letter queue, without locking any. */
async function peekAll(subQueueType?: "deadLetter") {
  // A client of its own: the SDK's peek resumes after what its client last peeked.
  const peeker = new ServiceBusClient(inject("serviceBusConnection"));
  try {
    return await peeker.createReceiver(queue(), subQueueType ? { subQueueType } : {}).peekMessages(1000);
  } finally {
    await peeker.close();
  }
}

interface RejectedEvent {
  id: string;
  eventId?: string;
  type?: string;
  code: string;
  detail: string;
  deliveryCount: number;
}

async function rejectedEvents(token: string, path = "/api/events/rejected") {
  const response = await app.call<{ value: RejectedEvent[]; "@odata.nextLink"?: string }>("GET", path, {
    token,
  });
  expect(response.status).toBe(200);
  return response.body;
}

function producerEvent(type: string, data: unknown): CloudEvent<unknown> {
  return {
    specversion: "1.0",
    id: randomUUID(),
    source: "/hr-system",
    type,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    data,
  } as CloudEvent<unknown>;
}

async function send(event: unknown, messageId: string = randomUUID()) {
  const sender = client.createSender(queue());
  try {
    await sender.sendMessages({ body: event, messageId });
  } finally {
    await sender.close();
  }
}

describe("provisioning an assignment", () => {
  it("creates the mailbox, grants the team site, switches on Teams and Office, and marks plans Success", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 2);
    const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });

    await eventually(() => planStatuses(t, user.id), allDone);
    const mailbox = await t.call("GET", `/api/users/${user.id}/mailbox`);
    expect(mailbox.body).toMatchObject({ type: "User", state: "Active", sizeGB: 0, needsLicense: false });
    const provisioning = await t.call("GET", `/api/users/${user.id}/provisioning`);
    expect(provisioning.body).toMatchObject({
      teamSite: { permission: "Edit" },
      skypeForBusiness: true,
      teams: true,
      officeApps: { entitled: true, installs: [], limit: 5 },
    });
  });

  it("shows PendingProvisioning until the worker has applied a plan", async () => {
    const t = await newTenant(app);
    await t.buy(skus.exchangePlan1, 1);
    const user = await t.user();
    // Hold the event back so the pending state can be seen
    await withEventsHeldBack(async () => {
      await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    });
    const details = await t.call<Details>("GET", `/api/users/${user.id}/licenseDetails`);
    const exchange = details.body.value[0]?.servicePlans.find(
      (p) => p.servicePlanName === "EXCHANGE_S_STANDARD",
    );
    expect(exchange?.provisioningStatus).toBe("PendingProvisioning");
    expect((await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state).toBe("None");
  });
});

describe("provisioning many single assignments", () => {
  it("applies single users' events that arrive together in one transaction per tenant", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 8);
    const users: { id: string }[] = [];
    for (let i = 0; i < 8; i++) users.push(await t.user());
    // Hold the events back, then deliver them together
    await withEventsHeldBack(async () => {
      for (const user of users) await t.assign(user.id, { addLicenses: [{ skuId: skus.businessBasic }] });
    });
    const { store, outboxStore } = app.services.deps;
    const rows = await outboxStore.listOutbox(t.tenantId);
    const events = rows.flatMap((row) => row.events);
    expect(events).toHaveLength(8);
    const sender = client.createSender(queue());
    try {
      await sender.sendMessages(events.map(toMessage));
    } finally {
      await sender.close();
    }
    await outboxStore.deleteOutbox(
      t.tenantId,
      rows.map((row) => row.id),
    );
    for (const user of users) await eventually(() => planStatuses(t, user.id), allDone);

    const provisioned = (await store.listAudit(t.tenantId)).filter((r) => r.action === "provision");
    const covered = provisioned.flatMap((r) =>
      Array.isArray(r.after) ? r.after.map((entry: { userId: string }) => entry.userId) : [r.target.slice(5)],
    );
    expect(new Set(covered)).toEqual(new Set(users.map((u) => u.id)));
    expect(covered).toHaveLength(8);
    expect(provisioned.length).toBeLessThan(8);
  });
});

describe("events of work already provisioned", () => {
  it("leaves users alone when the event says its transaction provisioned them", async () => {
    const t = await newTenant(app);
    await t.buy(skus.exchangePlan1, 1);
    const user = await t.user();
    // The assignment's own event stays in the outbox
    await withEventsHeldBack(async () => {
      await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    });
    const event = {
      ...producerEvent("license.assigned", {
        tenantId: t.tenantId,
        skuId: skus.exchangePlan1,
        userIds: [user.id],
        provisioned: true,
      }),
      source: "/license-assignment-service",
    };
    expect((await handleQueueMessage(app.services.deps, event)).changed).toBe(false);
    expect(await planStatuses(t, user.id)).toContain("PendingProvisioning");
    // Without the mark, the same event provisions the user.
    const { provisioned: _, ...data } = event.data as Record<string, unknown>;
    expect((await handleQueueMessage(app.services.deps, { ...event, data })).changed).toBe(true);
    expect(allDone(await planStatuses(t, user.id))).toBe(true);
  });
});

describe("the transactional outbox", () => {
  it("sends, through the sweep, an event a crash left between commit and send", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const user = await t.user();
    await withEventsHeldBack(async () => {
      expect((await t.assign(user.id, { addLicenses: [{ skuId: skus.businessBasic }] })).status).toBe(200);
    });
    const { outboxStore, outbox } = app.services.deps;
    expect(await outboxStore.listOutbox(t.tenantId)).toHaveLength(1);
    // A sweep right away leaves young markers alone: their commits may still be under way.
    await outbox.sweep();
    expect(await outboxStore.listOutbox(t.tenantId)).toHaveLength(1);

    clock.advance(minutes(3));
    const swept = await outbox.sweep();
    expect(swept.sent).toBeGreaterThanOrEqual(1);
    expect(await outboxStore.listOutbox(t.tenantId)).toEqual([]);
    await eventually(() => planStatuses(t, user.id), allDone);
    expect((await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state).toBe("Active");
  });

  it("changes state once when the same event is delivered twice", async () => {
    const t = await newTenant(app);
    await t.buy(skus.exchangePlan1, 1);
    const user = await t.user();
    await withEventsHeldBack(async () => {
      await t.assign(user.id, { addLicenses: [{ skuId: skus.exchangePlan1 }] });
    });
    const [event] = (await app.services.deps.outboxStore.listOutbox(t.tenantId)).flatMap((row) => row.events);
    if (!event) throw new Error("no event in the outbox");

    // Twice through the queue under different message ids, so the broker's dedupe cannot help.
    await send(event, randomUUID());
    await send(event, randomUUID());
    await eventually(() => planStatuses(t, user.id), allDone);
    // And once more straight into the handler: nothing left to change.
    expect((await handleQueueMessage(app.services.deps, event)).changed).toBe(false);

    const audit = await app.services.deps.store.listAudit(t.tenantId);
    const provisioned = audit.filter((r) => r.action === "provision" && r.target === `user/${user.id}`);
    expect(provisioned).toHaveLength(1);
  });
});

describe("producers' events", () => {
  it("removes a user's licenses on user.offboarded", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessStandard, 2);
    await t.buy(skus.exchangePlan2, 2);
    const user = await t.user({ licenses: [{ skuId: skus.businessStandard }] });
    await t.assign(user.id, {
      addLicenses: [
        { skuId: skus.businessStandard, disabledPlans: [plans.EXCHANGE_S_STANDARD.servicePlanId] },
        { skuId: skus.exchangePlan2 },
      ],
    });
    // Offboarded once provisioned: a license taken away before its mailbox was made leaves none to keep.
    await eventually(() => planStatuses(t, user.id), allDone);

    await send(producerEvent("user.offboarded", { tenantId: t.tenantId, userId: user.id }));
    await eventually(
      async () => (await t.call("GET", `/api/users/${user.id}`)).body.assignedLicenses,
      (licenses) => Array.isArray(licenses) && licenses.length === 0,
    );
    expect((await t.sku(skus.businessStandard)).consumedUnits).toBe(0);
    expect((await t.sku(skus.exchangePlan2)).consumedUnits).toBe(0);
    // The worker then retains the mailbox the licenses had provisioned.
    await eventually(
      async () => (await t.call("GET", `/api/users/${user.id}/mailbox`)).body.state,
      (state) => state === "Retained",
    );
  });

  it("applies license.assignRequested with upper-case ids as HTTP does", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const user = await t.user();
    await send(
      producerEvent("license.assignRequested", {
        tenantId: t.tenantId.toUpperCase(),
        userId: user.id.toUpperCase(),
        addLicenses: [{ skuId: skus.businessBasic.toUpperCase() }],
      }),
    );
    await eventually(() => planStatuses(t, user.id), allDone);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(1);
    expect((await t.call("GET", `/api/users/${user.id}`)).body.assignedLicenses).toEqual([
      { skuId: skus.businessBasic, disabledPlans: [] },
    ]);
  });

  it("applies license.assignRequested like assignLicense", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const user = await t.user();
    await send(
      producerEvent("license.assignRequested", {
        tenantId: t.tenantId,
        userId: user.id,
        addLicenses: [{ skuId: skus.businessBasic }],
      }),
    );
    await eventually(() => planStatuses(t, user.id), allDone);
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(1);
  });

  it("adds a group member by userPrincipalName once however often it is sent, and removes it by id", async () => {
    const t = await newTenant(app);
    const user = await t.user();
    const created = await t.call<{ id: string }>("POST", "/api/groups", {
      displayName: "Sales",
      mailNickname: "sales",
      securityEnabled: true,
      mailEnabled: false,
    });
    expect(created.status).toBe(201);
    const groupId = created.body.id;
    const members = async () =>
      (await t.call<{ value: { id: string }[] }>("GET", `/api/groups/${groupId}/members`)).body.value.map(
        (m) => m.id,
      );

    // An HR system that sends its change again (a new message) finds it made, not refused.
    const added = producerEvent("group.memberAdded", {
      tenantId: t.tenantId,
      groupId,
      userPrincipalName: user.userPrincipalName.toUpperCase(),
    });
    const messageIds: string[] = [randomUUID(), randomUUID()];
    for (const messageId of messageIds) await send(added, messageId);
    await eventually(members, (ids) => ids.includes(user.id));
    await eventually(
      () => peekAll(),
      (left) => !left.some((m) => messageIds.includes(String(m.messageId))),
    );
    expect(await members()).toEqual([user.id]);
    expect((await rejectedEvents(t.admin)).value).toEqual([]);

    await send(producerEvent("group.memberRemoved", { tenantId: t.tenantId, groupId, userId: user.id }));
    await eventually(members, (ids) => ids.length === 0);
  });
});

describe("rejected producer events", () => {
  it("records each for its tenant with its code, completes the message and never retries it", async () => {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    await t.user({ licenses: [{ skuId: skus.businessBasic }] });
    const unlicensed = await t.user();
    const sentAt = new Date().toISOString();
    const events = {
      UnsupportedEventType: producerEvent("user.promoted", { tenantId: t.tenantId, userId: unlicensed.id }),
      InvalidEventData: producerEvent("user.offboarded", { tenantId: t.tenantId, userId: "not-a-user" }),
      NotFound: producerEvent("user.offboarded", { tenantId: t.tenantId, userId: randomUUID() }),
      CountViolation: producerEvent("license.assignRequested", {
        tenantId: t.tenantId,
        userId: unlicensed.id,
        addLicenses: [{ skuId: skus.businessBasic }],
      }),
    };
    const messageIds = Object.values(events).map((event) => event.id);
    for (const event of Object.values(events)) await send(event, event.id);
    const notJson = randomUUID();
    await send("this is not JSON {", notJson);

    const { value } = await eventually(
      () => rejectedEvents(t.admin),
      (page) => page.value.length >= 4,
    );
    const byCode = Object.fromEntries(value.map((record) => [record.code, record]));
    for (const [code, event] of Object.entries(events)) {
      expect(byCode[code], code).toMatchObject({ eventId: event.id, type: event.type, source: "/hr-system" });
      expect(byCode[code]?.detail, code).toContain(event.id);
      // The first delivery's count (AMQP counts the deliveries before this one): never retried.
      expect(byCode[code]?.deliveryCount, code).toBe(0);
    }
    expect(byCode.InvalidEventData?.detail).toContain("userId: must be a GUID");
    expect(byCode.NotFound?.detail).toMatch(/does not exist/);
    expect(byCode.CountViolation?.detail).toMatch(/more licenses? of/);
    expect(value).toHaveLength(4);

    // Paged like GET /api/users: top and skipToken, with an @odata.nextLink to follow.
    const first = await rejectedEvents(t.admin, "/api/events/rejected?top=3");
    expect(first.value).toHaveLength(3);
    const nextLink = new URL(first["@odata.nextLink"] ?? "");
    const rest = await rejectedEvents(t.admin, nextLink.pathname + nextLink.search);
    expect([...first.value, ...rest.value].map((r) => r.id).sort()).toEqual(value.map((r) => r.id).sort());

    // Another tenant sees none of them.
    const other = await newTenant(app);
    expect((await rejectedEvents(other.admin)).value).toEqual([]);

    // The message without a tenant is kept apart, for operators only.
    const system = await eventually(
      () => app.services.deps.rejectedEvents.list(systemRejectionPartition, { top: 100 }),
      (page) => page.items.some((r) => r.code === "InvalidJson" && r.enqueuedAt >= sentAt.slice(0, 19)),
    );
    expect(system.items.find((r) => r.code === "InvalidJson")?.detail).toMatch(/not JSON/);

    // Completed: neither back in the queue nor dead-lettered.
    await eventually(
      () => peekAll(),
      (left) => !left.some((m) => messageIds.includes(String(m.messageId)) || m.messageId === notJson),
    );
    const dead = (await peekAll("deadLetter")).map((m) => m.messageId);
    expect(dead.filter((id) => messageIds.includes(String(id)) || id === notJson)).toEqual([]);
  });

  it("keeps one record of a message delivered twice", async () => {
    const t = await newTenant(app);
    const event = producerEvent("user.offboarded", {
      tenantId: t.tenantId.toUpperCase(),
      userId: randomUUID(),
    });
    const enqueuedTimeUtc = new Date().toISOString();
    for (const deliveryCount of [0, 1]) {
      const context = new InvocationContext({
        functionName: "provisioningWorker",
        triggerMetadata: { messageId: event.id, enqueuedTimeUtc, deliveryCount },
      });
      await handleProvisioningMessage(event, context);
    }
    const { value } = await rejectedEvents(t.admin);
    expect(value).toMatchObject([{ eventId: event.id, code: "NotFound", deliveryCount: 1 }]);
  });
});

describe("producer events that meet a transient failure", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  async function assignRequested() {
    const t = await newTenant(app);
    await t.buy(skus.businessBasic, 1);
    const user = await t.user();
    const event = producerEvent("license.assignRequested", {
      tenantId: t.tenantId,
      userId: user.id,
      addLicenses: [{ skuId: skus.businessBasic }],
    });
    const context = new InvocationContext({
      functionName: "provisioningWorker",
      triggerMetadata: { messageId: event.id, enqueuedTimeUtc: new Date().toISOString(), deliveryCount: 0 },
    });
    return { t, deliver: () => handleProvisioningMessage(event, context) };
  }

  /** Makes every commit of the tenant fail with `error`, as when its writes keep losing races. */
  function failCommits(tenantId: string, error: () => Error) {
    const { store } = app.services.deps;
    const commit = store.commit.bind(store);
    vi.spyOn(store, "commit").mockImplementation((id, writes) =>
      id === tenantId ? Promise.reject(error()) : commit(id, writes),
    );
  }

  it("throws, so the message is retried, when the write keeps losing its races (TooManyRequests)", async () => {
    const { t, deliver } = await assignRequested();
    failCommits(t.tenantId, () => new ConcurrencyConflict("another writer won"));
    await expect(deliver()).rejects.toMatchObject({ name: "ProblemError", code: "TooManyRequests" });
    expect((await rejectedEvents(t.admin)).value).toEqual([]);
  });

  it("throws, so the message is retried, when storage answers 503", async () => {
    const { t, deliver } = await assignRequested();
    failCommits(t.tenantId, () => new ProblemError("ServiceUnavailable", "storage is unavailable"));
    await expect(deliver()).rejects.toMatchObject({ name: "ProblemError", code: "ServiceUnavailable" });
    expect((await rejectedEvents(t.admin)).value).toEqual([]);
    // Once storage is back, the same message applies.
    vi.restoreAllMocks();
    await deliver();
    expect((await t.sku(skus.businessBasic)).consumedUnits).toBe(1);
  });
});

describe("Office installs and unlicensed mailboxes", () => {
  it("refuses a sixth Office install, and revokes them all when the license goes", async () => {
    const t = await newTenant(app);
    await t.buy(skus.appsForBusiness, 1);
    const user = await t.user({ licenses: [{ skuId: skus.appsForBusiness }] });
    for (let i = 1; i <= 5; i++) {
      const installed = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
        deviceName: `PC ${i}`,
        platform: i % 2 ? "Windows" : "Mac",
      });
      expect(installed.status).toBe(201);
    }
    const sixth = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
      deviceName: "PC 6",
      platform: "Mac",
    });
    expect(sixth.status).toBe(409);
    expect(sixth.body.code).toBe("OfficeInstallLimit");

    const provisioning = await t.call<{ officeApps: { installs: { id: string }[] } }>(
      "GET",
      `/api/users/${user.id}/provisioning`,
    );
    const first = provisioning.body.officeApps.installs[0]?.id;
    expect((await t.call("DELETE", `/api/users/${user.id}/officeInstalls/${first}`)).status).toBe(204);
    expect(
      (await t.call("POST", `/api/users/${user.id}/officeInstalls`, { deviceName: "PC 6", platform: "Mac" }))
        .status,
    ).toBe(201);

    await t.assign(user.id, { removeLicenses: [skus.appsForBusiness] });
    await eventually(
      async () =>
        (
          await t.call<{ officeApps: { entitled: boolean; installs: unknown[] } }>(
            "GET",
            `/api/users/${user.id}/provisioning`,
          )
        ).body.officeApps,
      (office) => !office.entitled && office.installs.length === 0,
    );
    const refused = await t.call("POST", `/api/users/${user.id}/officeInstalls`, {
      deviceName: "PC 7",
      platform: "Mac",
    });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/Office apps/);
  });

  it("lists a shared mailbox over 50 GB as needing a license, and not once it has one", async () => {
    const t = await newTenant(app);
    await t.buy(skus.exchangePlan2, 1);
    const shared = await t.user({ mailboxType: "Shared" });
    const room = await t.user({ mailboxType: "Room" });
    expect((await t.call("GET", `/api/users/${shared.id}/mailbox`)).body).toMatchObject({ state: "Active" });

    await send(
      producerEvent("mailbox.sizeReported", { tenantId: t.tenantId, userId: shared.id, sizeGB: 62 }),
    );
    await send(producerEvent("mailbox.sizeReported", { tenantId: t.tenantId, userId: room.id, sizeGB: 12 }));
    const needing = await eventually(
      async () =>
        (await t.call<{ value: { id: string }[] }>("GET", "/api/users?needsLicense=true")).body.value,
      (users) => users.length > 0,
    );
    expect(needing.map((u) => u.id)).toEqual([shared.id]);

    await t.assign(shared.id, { addLicenses: [{ skuId: skus.exchangePlan2 }] });
    expect((await t.call<{ value: unknown[] }>("GET", "/api/users?needsLicense=true")).body.value).toEqual(
      [],
    );
  });
});
