// Timer (RETENTION_SWEEP_SCHEDULE, daily at 02:00 UTC by default): purge what the 30-day retention
// has released, in bounded batches until done.
import { getServices } from "../shared/composition.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { sweepRetention } from "../shared/usecases/sweep-retention.js";

export const retentionSweep: FunctionDefinition = {
  kind: "timer",
  name: "retentionSweep",
  options: {
    schedule: "%RETENTION_SWEEP_SCHEDULE%",
    handler: async (_timer, context) => {
      const services = getServices();
      await services.ready();
      for (;;) {
        const result = await sweepRetention(services.deps);
        context.log(
          `retention sweep: ${result.expired} expired, ${result.skipped} no longer due, ${result.entriesRead} entries read`,
        );
        if (result.done) return;
      }
    },
  },
};
