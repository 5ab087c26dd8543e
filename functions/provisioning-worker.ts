// Service Bus trigger on the provisioning queue: applies each event's side effects (R17) and
// producers' requests. Returning completes the message; DeadLetterError dead-letters it with its
// reason (in the local runner); any other error abandons it for a retry.
import type { InvocationContext } from "@azure/functions";
import { getServices } from "../shared/composition.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { DeadLetterError } from "../shared/messaging/dead-letter.js";
import { handleQueueMessage } from "../shared/usecases/handle-queue-message.js";

export async function handleProvisioningMessage(message: unknown, context: InvocationContext): Promise<void> {
  const services = getServices();
  await services.ready();
  try {
    const { type, changed } = await handleQueueMessage(services.deps, message);
    context.log(`${type}: ${changed ? "applied" : "nothing to change"}`);
  } catch (error) {
    if (error instanceof DeadLetterError) context.error(`dead-letter: ${error.reason}: ${error.description}`);
    throw error;
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
