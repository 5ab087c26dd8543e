// Timer: every minute, send the events a crash left in the outbox between commit and send.
import { timerFunction } from "../shared/triggers/timer-function.js";
import { sweepOutbox } from "../shared/usecases/sweep-outbox.js";

export const outboxSweep = timerFunction(
  { name: "outboxSweep", schedule: "0 */1 * * * *" },
  async ({ deps, context }) => {
    const { tenants, sent } = await sweepOutbox(deps);
    if (sent > 0) context.log(`outbox sweep: sent ${sent} events of ${tenants} tenants`);
  },
);
