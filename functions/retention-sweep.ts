// Timer (RETENTION_SWEEP_SCHEDULE, daily at 02:00 UTC by default): purge what the 30-day retention
// has released, in bounded batches until done.
import { timerFunction } from "../shared/triggers/timer-function.js";
import { sweepRetention } from "../shared/usecases/sweep-retention.js";

export const retentionSweep = timerFunction(
  { name: "retentionSweep", schedule: "%RETENTION_SWEEP_SCHEDULE%" },
  async ({ deps, context }) => {
    for (;;) {
      const result = await sweepRetention(deps);
      context.log(
        `retention sweep: ${result.expired} expired, ${result.skipped} no longer due, ${result.entriesRead} entries read`,
      );
      if (result.done) return;
    }
  },
);
