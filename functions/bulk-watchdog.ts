// Timer (BULK_WATCHDOG_SCHEDULE, every minute by default): send bulk chunks whose queue message was
// lost again, and end the jobs whose chunks never got processed, so no job stays Running forever.
import { timerFunction } from "../shared/triggers/timer-function.js";
import { watchBulkJobs } from "../shared/usecases/watch-bulk-jobs.js";

export const bulkWatchdog = timerFunction(
  { name: "bulkWatchdog", schedule: "%BULK_WATCHDOG_SCHEDULE%" },
  async ({ deps, context }) => {
    const { jobs, resent, failed, finished } = await watchBulkJobs(deps);
    if (resent + failed > 0)
      context.log(`bulk watchdog: ${jobs} unfinished jobs, ${resent} chunks sent again, ${failed} given up`);
    else if (finished > 0) context.log(`bulk watchdog: ${finished} finished jobs dropped from the index`);
  },
);
