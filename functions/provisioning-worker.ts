// Service Bus trigger on the provisioning queue: applies each event's side effects (R17) and
// producers' requests. Settlement is queueFunction's: a rejected event is recorded for its tenant
// and completes; any other error abandons the message for a retry.
import { queueFunction } from "../shared/triggers/queue-function.js";
import { handleQueueMessage } from "../shared/usecases/handle-queue-message.js";

export const provisioningWorker = queueFunction(
  { name: "provisioningWorker", connection: "SERVICEBUS_CONNECTION", queueName: "%PROVISIONING_QUEUE%" },
  async ({ message, deps, context }) => {
    const { type, changed } = await handleQueueMessage(deps, message);
    context.log(`${type}: ${changed ? "applied" : "nothing to change"}`);
  },
);

export const handleProvisioningMessage = provisioningWorker.options.handler;
