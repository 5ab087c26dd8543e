// Binds a handler to a Service Bus queue, as httpFunction binds one to a route. It decides
// settlement, the same in Azure and locally, in this one place: a message the handler rejects
// (EventRejected: it can never succeed) is recorded for its tenant and the function returns, so
// the message completes and is never retried; any other error is thrown, so the message is
// abandoned and retried (dead-lettered at maxDeliveryCount).
import type { InvocationContext, ServiceBusQueueFunctionOptions } from "@azure/functions";
import { z } from "zod";
import { getServices } from "../composition.js";
import { EventRejected } from "../domain/event-rejected.js";
import type { Deps } from "../usecases/deps.js";
import { recordRejectedEvent } from "../usecases/rejected-events.js";

export interface QueueInput {
  /** The message body as the trigger hands it over (parsed JSON, a JSON string, or bytes). */
  readonly message: unknown;
  readonly context: InvocationContext;
  readonly deps: Deps;
}

/** A queue function (a FunctionDefinition) whose handler answers a promise: tests call it directly. */
export interface QueueFunctionDefinition {
  readonly kind: "serviceBusQueue";
  readonly name: string;
  readonly options: Omit<ServiceBusQueueFunctionOptions, "handler"> & {
    readonly handler: (message: unknown, context: InvocationContext) => Promise<void>;
  };
}

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

export function queueFunction(
  binding: { readonly name: string; readonly connection: string; readonly queueName: string },
  handler: (input: QueueInput) => Promise<void>,
): QueueFunctionDefinition {
  const run = async (message: unknown, context: InvocationContext): Promise<void> => {
    const services = getServices();
    await services.ready();
    const { deps } = services;
    try {
      await handler({ message, context, deps });
    } catch (error) {
      if (!(error instanceof EventRejected)) throw error;
      const metadata = triggerMetadata.parse(context.triggerMetadata ?? {});
      const enqueuedAt = metadata.enqueuedTimeUtc ?? deps.clock.now();
      const { tenantId } = await recordRejectedEvent(deps, message, error, {
        messageId: metadata.messageId ?? context.invocationId,
        enqueuedAt: enqueuedAt.toISOString(),
        deliveryCount: metadata.deliveryCount ?? 0,
      });
      context.warn(
        `rejected${tenantId ? ` for tenant ${tenantId}` : " (no tenant)"}: ${error.code}: ${error.detail}`,
      );
    }
  };
  return {
    kind: "serviceBusQueue",
    name: binding.name,
    options: { connection: binding.connection, queueName: binding.queueName, handler: run },
  };
}
