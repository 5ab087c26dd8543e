// Provisioning fan-out through the real Service Bus SDK and the local broker (R17, R21): the
// outbox, the worker, idempotency, dead-lettering, producers' events and Office installs.
import { randomUUID } from "node:crypto";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CloudEvent } from "../../shared/domain/events.js";
import { toMessage } from "../../shared/messaging/service-bus-publisher.js";
import type { EventPublisher } from "../../shared/usecases/deps.js";
import { handleQueueMessage } from "../../shared/usecases/handle-queue-message.js";
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

async function deadLetters(max: number) {
  const receiver = client.createReceiver(queue(), { subQueueType: "deadLetter" });
  try {
    return await receiver.receiveMessages(max, { maxWaitTimeInMs: 5_000 });
  } finally {
    await receiver.close();
  }
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

async function send(event: unknown, messageId = randomUUID()) {
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
    const { store } = app.services.deps;
    const events = await store.listOutbox(t.tenantId);
    expect(events).toHaveLength(8);
    const sender = client.createSender(queue());
    try {
      await sender.sendMessages(events.map(toMessage));
    } finally {
      await sender.close();
    }
    await store.deleteOutbox(
      t.tenantId,
      events.map((e) => e.id),
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
    const { store, outbox } = app.services.deps;
    expect(await store.listOutbox(t.tenantId)).toHaveLength(1);
    // A sweep right away leaves young markers alone: their commits may still be under way.
    await outbox.sweep();
    expect(await store.listOutbox(t.tenantId)).toHaveLength(1);

    clock.advance(minutes(3));
    const swept = await outbox.sweep();
    expect(swept.sent).toBeGreaterThanOrEqual(1);
    expect(await store.listOutbox(t.tenantId)).toEqual([]);
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
    const [event] = await app.services.deps.store.listOutbox(t.tenantId);
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
  it("dead-letters a malformed event with a reason that says what was wrong", async () => {
    const id = randomUUID();
    await send({
      ...producerEvent("user.offboarded", { tenantId: "not-a-tenant", userId: randomUUID() }),
      id,
    });
    await send("this is not JSON {");
    const dead = await eventually(
      () => deadLetters(10),
      (messages) => messages.length >= 2,
    );
    const invalidData = dead.find((m) => m.deadLetterReason === "InvalidEventData");
    expect(invalidData?.deadLetterErrorDescription).toContain("tenantId");
    expect(invalidData?.deadLetterErrorDescription).toContain(id);
    expect(dead.find((m) => m.deadLetterReason === "InvalidJson")?.deadLetterErrorDescription).toMatch(
      /not JSON/,
    );
  });

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
