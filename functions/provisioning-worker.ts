// Service Bus trigger on the provisioning queue: applies each event's side effects (R17) and
// producers' requests. It alone decides settlement, the same in Azure and locally: a rejected event
// is recorded for its tenant and the function returns (the message completes, never retried); any
// other error is thrown, so the message is abandoned and retried.
import type { InvocationContext } from "@azure/functions";
import { z } from "zod";
import { getServices } from "../shared/composition.js";
import { EventRejected } from "../shared/domain/event-rejected.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { handleQueueMessage } from "../shared/usecases/handle-queue-message.js";
import { recordRejectedEvent } from "../shared/usecases/rejected-events.js";

/** The Service Bus trigger's metadata, as far as the record of a rejection needs it. */
const triggerMetadata = z.looseObject({
  messageId: z.string().optional().catch(undefined),
  // The host writes UTC times without a zone designator ("2026-11-22T09:00:00.123").
  enqueuedTimeUtc: z
    .string()
    .transform((t) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`))
    .refine((d) => !Number.isNaN(d.getTime()))
    .optional()
    .catch(undefined),
  deliveryCount: z.coerce.number().int().min(0).optional().catch(undefined),
});

export async function handleProvisioningMessage(message: unknown, context: InvocationContext): Promise<void> {
  const services = getServices();
  await services.ready();
  try {
    const { type, changed } = await handleQueueMessage(services.deps, message);
    context.log(`${type}: ${changed ? "applied" : "nothing to change"}`);
  } catch (error) {
    if (!(error instanceof EventRejected)) throw error;
    const metadata = triggerMetadata.parse(context.triggerMetadata ?? {});
    const enqueuedAt = metadata.enqueuedTimeUtc ?? services.deps.clock.now();
    const { tenantId } = await recordRejectedEvent(services.deps, message, error, {
      messageId: metadata.messageId ?? context.invocationId,
      enqueuedAt: enqueuedAt.toISOString(),
      deliveryCount: metadata.deliveryCount ?? 0,
    });
    context.warn(
      `rejected${tenantId ? ` for tenant ${tenantId}` : " (no tenant)"}: ${error.code}: ${error.detail}`,
    );
  }
}

export const provisioningWorker: FunctionDefinition = {
  kind: "serviceBusQueue",
  name: "provisioningWorker",
  options: {
    connection: "SERVICEBUS_CONNECTION",
    queueName: "%PROVISIONING_QUEUE%",
    handler: handleProvisioningMessage,
  },
};
