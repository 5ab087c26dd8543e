// The local host's queue trigger settles like the Functions host: return completes, a throw
// abandons, and a message that keeps failing ends in the dead-letter queue at maxDeliveryCount.
import { randomUUID } from "node:crypto";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTriggers } from "../../local/triggers.js";
import type { FunctionDefinition } from "../../shared/function-definition.js";
import { eventually } from "../support/eventually.js";

let client: ServiceBusClient;
beforeAll(() => {
  client = new ServiceBusClient(inject("serviceBusConnection"));
});
afterAll(async () => {
  await client?.close();
});

describe("a queue function that always throws", () => {
  it("is called 10 times, then its message is dead-lettered with MaxDeliveryCountExceeded", async () => {
    const queueName = `poison-${randomUUID()}`;
    const deliveries: number[] = [];
    const failing: FunctionDefinition = {
      kind: "serviceBusQueue",
      name: "alwaysFails",
      options: {
        connection: "SERVICEBUS_CONNECTION",
        queueName: "%QUEUE%",
        handler: async (_message, context) => {
          deliveries.push(Number(context.triggerMetadata?.deliveryCount));
          throw new Error("storage is down");
        },
      },
    };
    const triggers = startTriggers({
      functions: [failing],
      serviceBus: client,
      setting: (name) => (name === "QUEUE" ? queueName : undefined),
    });
    try {
      const sender = client.createSender(queueName);
      await sender.sendMessages({ body: { hello: "poison" }, messageId: "poison-1" });
      await sender.close();

      const receiver = client.createReceiver(queueName, { subQueueType: "deadLetter" });
      const [dead] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 20_000 });
      await receiver.close();
      expect(dead?.messageId).toBe("poison-1");
      expect(dead?.deadLetterReason).toBe("MaxDeliveryCountExceeded");
      expect(deliveries).toHaveLength(10);
    } finally {
      await triggers.close();
    }
  });
});

type Kind = "valid" | "invalid" | "failing";

/**
 * Resolves every caller of the same few milliseconds at once, as the worker's group commit does,
 * so that handlers finish, and their messages are settled, in the same tick.
 */
function gathering(ms: number): () => Promise<void> {
  let current: Promise<void> | undefined;
  return () => {
    current ??= new Promise((resolve) =>
      setTimeout(() => {
        current = undefined;
        resolve();
      }, ms),
    );
    return current;
  };
}

describe("many messages settled at once", () => {
  it("settles each message with its own outcome: completed, rejected with its reason, or retried", async () => {
    const queueName = `mixed-${randomUUID()}`;
    const kinds: Kind[] = [];
    // Neighbours differ, so messages settled together mostly want different outcomes.
    for (let i = 0; i < 48; i++) kinds.push((["valid", "failing", "invalid"] as const)[i % 3] ?? "valid");
    const sent = kinds.map((kind, i) => ({ messageId: `m-${String(i).padStart(2, "0")}-${kind}`, kind }));
    const deliveries = new Map<string, number[]>();
    const rejections = new Map<string, string[]>();
    const together = gathering(3);
    const mixed: FunctionDefinition = {
      kind: "serviceBusQueue",
      name: "mixed",
      options: {
        connection: "SERVICEBUS_CONNECTION",
        queueName: "%QUEUE%",
        handler: async (body, context) => {
          const { messageId, kind } = body as { messageId: string; kind: Kind };
          await together();
          const before = deliveries.get(messageId) ?? [];
          deliveries.set(messageId, [...before, Number(context.triggerMetadata?.deliveryCount)]);
          if (kind === "invalid") {
            // As the provisioning worker does: the reason is recorded, and the message completes.
            const reason = `message ${String(context.triggerMetadata?.messageId)} is invalid`;
            rejections.set(messageId, [...(rejections.get(messageId) ?? []), reason]);
          } else if (kind === "failing" && before.length === 0) {
            throw new Error(`${messageId} fails on its first delivery`);
          }
        },
      },
    };
    const sender = client.createSender(queueName);
    await sender.sendMessages(sent.map((m) => ({ body: m, messageId: m.messageId })));
    await sender.close();
    const triggers = startTriggers({
      functions: [mixed],
      serviceBus: client,
      setting: (name) => (name === "QUEUE" ? queueName : undefined),
    });
    try {
      // Settled for good: every message handled, and none left in the queue (ready or locked).
      await eventually(
        async () => {
          // A client of its own each time: the SDK's peek resumes after what its client last peeked.
          const peeker = new ServiceBusClient(inject("serviceBusConnection"));
          try {
            const left = await peeker.createReceiver(queueName).peekMessages(100);
            return { left: left.length, handled: deliveries.size };
          } finally {
            await peeker.close();
          }
        },
        ({ left, handled }) => left === 0 && handled === sent.length,
        { timeoutMs: 20_000 },
      );
      const fates = Object.fromEntries(
        sent.map(({ messageId }) => [
          messageId,
          {
            // A redelivery counts one more delivery than the one before it.
            deliveries: deliveries
              .get(messageId)
              ?.map((count, i, all) => (i === 0 ? "first" : count - (all[i - 1] ?? 0))),
            rejections: rejections.get(messageId),
          },
        ]),
      );
      const expected = Object.fromEntries(
        sent.map(({ messageId, kind }) => [
          messageId,
          {
            deliveries: kind === "failing" ? ["first", 1] : ["first"],
            rejections: kind === "invalid" ? [`message ${messageId} is invalid`] : undefined,
          },
        ]),
      );
      expect(fates).toEqual(expected);
      const deadLetters = client.createReceiver(queueName, { subQueueType: "deadLetter" });
      try {
        expect(await deadLetters.peekMessages(100)).toEqual([]);
      } finally {
        await deadLetters.close();
      }
    } finally {
      await triggers.close();
    }
  });
});
