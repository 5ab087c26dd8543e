// Timer: every minute, send the events a crash left in the outbox between commit and send.
import { getServices } from "../shared/composition.js";
import type { FunctionDefinition } from "../shared/function-definition.js";

export const outboxSweep: FunctionDefinition = {
  kind: "timer",
  name: "outboxSweep",
  options: {
    schedule: "0 */1 * * * *",
    handler: async (_timer, context) => {
      const services = getServices();
      await services.ready();
      const { tenants, sent } = await services.deps.outbox.sweep();
      if (sent > 0) context.log(`outbox sweep: sent ${sent} events of ${tenants} tenants`);
    },
  },
};
