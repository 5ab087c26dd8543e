// The local host's queue trigger settles like the Functions host: return completes, a throw
// abandons, and a message that keeps failing ends in the dead-letter queue at maxDeliveryCount.
import { randomUUID } from "node:crypto";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startTriggers } from "../../local/triggers.js";
import type { FunctionDefinition } from "../../shared/function-definition.js";

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
