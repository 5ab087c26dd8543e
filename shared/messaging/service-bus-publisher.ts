// Sends events to the provisioning queue: one message per CloudEvent, messageId = event id, so the
// queue's duplicate detection drops a re-send within its window.
import type { ServiceBusClient, ServiceBusMessage, ServiceBusSender } from "@azure/service-bus";
import type { CloudEvent } from "../domain/events.js";
import type { EventPublisher } from "../usecases/deps.js";

export function toMessage(event: CloudEvent): ServiceBusMessage {
  return {
    messageId: event.id,
    body: event,
    contentType: "application/cloudevents+json; charset=utf-8",
    subject: event.type,
    applicationProperties: { "cloudEvents:type": event.type, "cloudEvents:source": event.source },
  };
}

export class ServiceBusPublisher implements EventPublisher {
  private readonly sender: ServiceBusSender;

  constructor(client: ServiceBusClient, queueName: string) {
    this.sender = client.createSender(queueName);
  }

  async publish(events: readonly CloudEvent[]): Promise<void> {
    let batch = await this.sender.createMessageBatch();
    for (const event of events) {
      const message = toMessage(event);
      if (batch.tryAddMessage(message)) continue;
      if (batch.count === 0) throw new Error(`event ${event.id} is larger than a Service Bus message may be`);
      await this.sender.sendMessages(batch);
      batch = await this.sender.createMessageBatch();
      if (!batch.tryAddMessage(message))
        throw new Error(`event ${event.id} is larger than a Service Bus message may be`);
    }
    if (batch.count > 0) await this.sender.sendMessages(batch);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}
