// A second instance of the app in a process of its own, for tests that run two instances on one
// storage account and one queue, as Azure does once it scales out. Started by `startSecondInstance`
// (./two-instances.ts) with its options as JSON in INSTANCE_OPTIONS; prints its URL as one JSON
// line, and closes when its standard input ends.
import { startInProcessApp } from "../../local/in-process-app.js";

const options = JSON.parse(process.env.INSTANCE_OPTIONS ?? "{}") as Parameters<typeof startInProcessApp>[0];
const app = await startInProcessApp(options);
process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
process.stdin.resume();
process.stdin.once("end", () => {
  app.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
