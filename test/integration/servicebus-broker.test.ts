// The local AMQP broker against the real @azure/service-bus SDK: every capability the service relies on.
import {
  ServiceBusClient,
  type ServiceBusReceivedMessage,
  type ServiceBusReceiver,
} from "@azure/service-bus";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningBroker, startBroker } from "../../local/servicebus-broker/index.js";

let broker: RunningBroker;
let client: ServiceBusClient;

beforeAll(async () => {
  broker = await startBroker({
    port: 0,
    queues: [
      { name: "basic" },
      { name: "batch" },
      { name: "abandon" },
      { name: "dead-letter" },
      { name: "max-delivery", maxDeliveryCount: 3 },
      { name: "lock-expiry", lockDurationMs: 400 },
      { name: "renew-lock", lockDurationMs: 800 },
      { name: "drain" },
      { name: "receive-delete" },
      { name: "duplicates" },
      { name: "peek" },
      { name: "size" },
      { name: "auth" },
      { name: "subscribe" },
    ],
  });
  client = new ServiceBusClient(broker.connectionString);
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
});

/** Receives until `count` messages arrived or `timeoutMs` passed. */
async function receiveCount(
  receiver: ServiceBusReceiver,
  count: number,
  timeoutMs = 5_000,
): Promise<ServiceBusReceivedMessage[]> {
  const received: ServiceBusReceivedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) {
    const batch = await receiver.receiveMessages(count - received.length, {
      maxWaitTimeInMs: Math.max(1, Math.min(2_000, deadline - Date.now())),
    });
    received.push(...batch);
  }
  return received;
}

async function receiveOne(receiver: ServiceBusReceiver): Promise<ServiceBusReceivedMessage> {
  const [message] = await receiveCount(receiver, 1);
  if (!message) throw new Error("no message received");
  return message;
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("local Service Bus broker", () => {
  it("sends, receives and completes a message with its properties intact", async () => {
    const sender = client.createSender("basic");
    const receiver = client.createReceiver("basic");
    await sender.sendMessages({
      body: { userId: "u-1", sku: "E3" },
      messageId: "basic-1",
      contentType: "application/json",
      subject: "assign",
      correlationId: "corr-1",
      applicationProperties: { attempt: 1, tenant: "contoso", flag: true },
    });
    expect(broker.stats("basic")).toEqual({ active: 1, locked: 0, deadLettered: 0 });

    const message = await receiveOne(receiver);
    expect(message.body).toEqual({ userId: "u-1", sku: "E3" });
    expect(message.messageId).toBe("basic-1");
    expect(message.contentType).toBe("application/json");
    expect(message.subject).toBe("assign");
    expect(message.correlationId).toBe("corr-1");
    expect(message.applicationProperties).toEqual({ attempt: 1, tenant: "contoso", flag: true });
    expect(message.deliveryCount).toBe(0);
    expect(message.sequenceNumber?.toNumber()).toBe(1);
    expect(message.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.enqueuedTimeUtc).toBeInstanceOf(Date);
    expect(message.lockedUntilUtc?.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(broker.stats("basic")).toEqual({ active: 0, locked: 1, deadLettered: 0 });

    await receiver.completeMessage(message);
    expect(broker.stats("basic")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toHaveLength(0);
    await receiver.close();
    await sender.close();
  });

  it("accepts batches (createMessageBatch and arrays) with the 256 KiB limit", async () => {
    const sender = client.createSender("batch");
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(262_144);
    for (let i = 0; i < 20; i++) expect(batch.tryAddMessage({ body: `batch-${i}` })).toBe(true);
    await sender.sendMessages(batch);
    await sender.sendMessages([{ body: "array-0" }, { body: "array-1" }]);
    expect(broker.stats("batch").active).toBe(22);

    const receiver = client.createReceiver("batch");
    const messages = await receiveCount(receiver, 22);
    expect(messages.map((m) => m.body)).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `batch-${i}`),
      "array-0",
      "array-1",
    ]);
    // The broker stamps a messageId when the sender left it empty (the lock renewer keys on it).
    expect(new Set(messages.map((m) => m.messageId)).size).toBe(22);
    for (const m of messages) await receiver.completeMessage(m);
    expect(broker.stats("batch")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    await receiver.close();
    await sender.close();
  });

  it("redelivers an abandoned message with deliveryCount + 1 and the modified properties", async () => {
    const sender = client.createSender("abandon");
    const receiver = client.createReceiver("abandon");
    await sender.sendMessages({ body: "again", messageId: "abandon-1" });
    const first = await receiveOne(receiver);
    expect(first.deliveryCount).toBe(0);
    await receiver.abandonMessage(first, { lastError: "transient" });

    const second = await receiveOne(receiver);
    expect(second.messageId).toBe("abandon-1");
    expect(second.deliveryCount).toBe(1);
    expect(second.applicationProperties?.lastError).toBe("transient");
    expect(second.lockToken).not.toBe(first.lockToken);
    await receiver.completeMessage(second);
    await receiver.close();
    await sender.close();
  });

  it("dead-letters with reason and description, readable from the dead-letter queue", async () => {
    const sender = client.createSender("dead-letter");
    const receiver = client.createReceiver("dead-letter");
    await sender.sendMessages({
      body: { bad: true },
      messageId: "dl-1",
      applicationProperties: { keep: "me" },
    });
    await receiver.deadLetterMessage(await receiveOne(receiver), {
      deadLetterReason: "ValidationFailed",
      deadLetterErrorDescription: "sku is unknown",
    });
    expect(broker.stats("dead-letter")).toEqual({ active: 0, locked: 0, deadLettered: 1 });

    const dlq = client.createReceiver("dead-letter", { subQueueType: "deadLetter" });
    const dead = await receiveOne(dlq);
    expect(dead.body).toEqual({ bad: true });
    expect(dead.messageId).toBe("dl-1");
    expect(dead.deadLetterReason).toBe("ValidationFailed");
    expect(dead.deadLetterErrorDescription).toBe("sku is unknown");
    expect(dead.deadLetterSource).toBe("dead-letter");
    expect(dead.applicationProperties?.keep).toBe("me");
    await dlq.completeMessage(dead);
    expect(broker.stats("dead-letter")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    await dlq.close();
    await receiver.close();
    await sender.close();
  });

  it("dead-letters automatically after maxDeliveryCount deliveries", async () => {
    const sender = client.createSender("max-delivery");
    const receiver = client.createReceiver("max-delivery");
    await sender.sendMessages({ body: "poison", messageId: "poison-1" });
    for (let attempt = 0; attempt < 3; attempt++) {
      const message = await receiveOne(receiver);
      expect(message.deliveryCount).toBe(attempt);
      await receiver.abandonMessage(message);
    }
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 200 })).toHaveLength(0);
    expect(broker.stats("max-delivery")).toEqual({ active: 0, locked: 0, deadLettered: 1 });

    const dlq = client.createReceiver("max-delivery", { subQueueType: "deadLetter" });
    const dead = await receiveOne(dlq);
    expect(dead.messageId).toBe("poison-1");
    expect(dead.deadLetterReason).toBe("MaxDeliveryCountExceeded");
    await dlq.completeMessage(dead);
    await dlq.close();
    await receiver.close();
    await sender.close();
  });

  it("redelivers when a lock expires, and refuses to settle with the lost lock", async () => {
    const sender = client.createSender("lock-expiry");
    const receiver = client.createReceiver("lock-expiry", { maxAutoLockRenewalDurationInMs: 0 });
    await sender.sendMessages({ body: "slow", messageId: "slow-1" });
    const first = await receiveOne(receiver);
    expect(first.deliveryCount).toBe(0);

    const second = await receiveOne(receiver); // arrives once the 400 ms lock has expired
    expect(second.messageId).toBe("slow-1");
    expect(second.deliveryCount).toBe(1);
    await expect(receiver.completeMessage(first)).rejects.toMatchObject({ code: "MessageLockLost" });
    await receiver.completeMessage(second);
    expect(broker.stats("lock-expiry")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    await receiver.close();
    await sender.close();
  });

  it("renews a lock through $management", async () => {
    const sender = client.createSender("renew-lock");
    const receiver = client.createReceiver("renew-lock", { maxAutoLockRenewalDurationInMs: 0 });
    await sender.sendMessages({ body: "long job", messageId: "renew-1" });
    const message = await receiveOne(receiver);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const renewedUntil = await receiver.renewMessageLock(message);
    expect(renewedUntil.getTime()).toBeGreaterThan(Date.now() + 500);
    await new Promise((resolve) => setTimeout(resolve, 500)); // past the original 800 ms lock
    await receiver.completeMessage(message);
    expect(broker.stats("renew-lock")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    await receiver.close();
    await sender.close();
  });

  it("answers drains promptly, also when one races the last credit", async () => {
    // The SDK drains leftover credit after each receiveMessages() and, without an answer within
    // 200 ms, closes the link: ten unanswered drains would take at least two seconds.
    const receiver = client.createReceiver("drain");
    let started = Date.now();
    for (let i = 0; i < 10; i++) {
      expect(await receiver.receiveMessages(3, { maxWaitTimeInMs: 20 })).toHaveLength(0);
    }
    expect(Date.now() - started).toBeLessThan(1_200);

    const sender = client.createSender("drain");
    let sending = true;
    let sent = 0;
    const producer = (async () => {
      while (sending) {
        await sender.sendMessages([{ body: sent }, { body: sent + 1 }, { body: sent + 2 }]);
        sent += 3;
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
    const bodies: unknown[] = [];
    started = Date.now();
    for (let i = 0; i < 20; i++) {
      const batch = await receiver.receiveMessages(4, { maxWaitTimeInMs: 20 });
      for (const m of batch) await receiver.completeMessage(m);
      bodies.push(...batch.map((m) => m.body));
    }
    expect(Date.now() - started).toBeLessThan(2_400);
    sending = false;
    await producer;
    bodies.push(...(await receiveCount(receiver, sent - bodies.length)).map((m) => m.body));
    expect(bodies.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: sent }, (_, i) => i));
    await receiver.close();
    await sender.close();
  });

  it("supports receive-and-delete mode", async () => {
    const sender = client.createSender("receive-delete");
    await sender.sendMessages([{ body: "r1" }, { body: "r2" }]);
    const receiver = client.createReceiver("receive-delete", { receiveMode: "receiveAndDelete" });
    const messages = await receiveCount(receiver, 2);
    expect(messages.map((m) => m.body)).toEqual(["r1", "r2"]);
    expect(messages[0]?.lockToken).toBeUndefined();
    expect(broker.stats("receive-delete")).toEqual({ active: 0, locked: 0, deadLettered: 0 });
    await receiver.close();
    await sender.close();
  });

  it("drops a duplicate messageId within the detection window", async () => {
    const sender = client.createSender("duplicates");
    await sender.sendMessages({ body: "original", messageId: "dup-1" });
    await sender.sendMessages({ body: "duplicate", messageId: "dup-1" });
    await sender.sendMessages([
      { body: "other", messageId: "dup-2" },
      { body: "duplicate again", messageId: "dup-1" },
    ]);
    expect(broker.stats("duplicates").active).toBe(2);
    const receiver = client.createReceiver("duplicates", { receiveMode: "receiveAndDelete" });
    const messages = await receiveCount(receiver, 2);
    expect(messages.map((m) => m.body)).toEqual(["original", "other"]);
    await receiver.close();
    await sender.close();
  });

  it("peeks without locking", async () => {
    const sender = client.createSender("peek");
    await sender.sendMessages([{ body: "p1" }, { body: "p2" }, { body: "p3" }]);
    const receiver = client.createReceiver("peek");
    const peeked = await receiver.peekMessages(2);
    expect(peeked.map((m) => m.body)).toEqual(["p1", "p2"]);
    expect((await receiver.peekMessages(5)).map((m) => m.body)).toEqual(["p3"]);
    expect(broker.stats("peek")).toEqual({ active: 3, locked: 0, deadLettered: 0 });
    await receiver.close();
    await sender.close();
  });

  it("refuses messages over 256 KiB and unknown entities", async () => {
    const sender = client.createSender("size");
    await expect(sender.sendMessages({ body: "x".repeat(300_000) })).rejects.toMatchObject({
      code: "MessageSizeExceeded",
    });
    expect(broker.stats("size").active).toBe(0);
    await sender.close();

    const unknown = client.createSender("no-such-queue");
    await expect(unknown.sendMessages({ body: "lost" })).rejects.toMatchObject({
      code: "MessagingEntityNotFound",
    });
    await unknown.close();
  });

  it("refuses a client with the wrong key", async () => {
    const wrong = new ServiceBusClient(
      broker.connectionString.replace(/SharedAccessKey=[^;]*/, "SharedAccessKey=nope"),
      {
        retryOptions: { maxRetries: 0 },
      },
    );
    try {
      await expect(wrong.createSender("auth").sendMessages({ body: "intruder" })).rejects.toMatchObject({
        code: "UnauthorizedAccess",
      });
      expect(broker.stats("auth").active).toBe(0);
    } finally {
      await wrong.close();
    }
  });

  it("processes many messages through subscribe() with concurrency", async () => {
    const total = 300;
    const sender = client.createSender("subscribe");
    const batch = await sender.createMessageBatch();
    for (let i = 0; i < total; i++) batch.tryAddMessage({ body: { n: i } });
    await sender.sendMessages(batch);

    const receiver = client.createReceiver("subscribe");
    const seen = new Set<number>();
    let inFlight = 0;
    let maxInFlight = 0;
    const subscription = receiver.subscribe(
      {
        async processMessage(message) {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          seen.add((message.body as { n: number }).n);
          inFlight--;
        },
        async processError(args) {
          throw args.error;
        },
      },
      { maxConcurrentCalls: 8 },
    );
    await waitFor(
      () => broker.stats("subscribe").active === 0 && broker.stats("subscribe").locked === 0,
      10_000,
    );
    await subscription.close();
    expect(seen.size).toBe(total);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    await receiver.close();
    await sender.close();
  });
});
