// Runs the local Service Bus broker until SIGINT/SIGTERM:
//   npx tsx local/servicebus-broker/cli.ts --port 5672 --queue provisioning [--queue other]
//     [--host 127.0.0.1] [--lock-duration-ms 60000] [--max-delivery-count 10] [--auto-create]
// --auto-create makes any queue a client names on first use (then --queue may be left out).
// The first line on stdout is the connection string.
import { parseArgs } from "node:util";
import { startBroker } from "./index.js";

const { values } = parseArgs({
  options: {
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "5672" },
    queue: { type: "string", multiple: true, default: [] },
    "lock-duration-ms": { type: "string" },
    "max-delivery-count": { type: "string" },
    "sas-key-name": { type: "string" },
    "sas-key": { type: "string" },
    "auto-create": { type: "boolean", default: false },
  },
});

const optionalNumber = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);

if (values.queue.length === 0 && !values["auto-create"]) {
  console.error("usage: cli.ts --port 5672 --queue <name> [--queue <name>...] | --auto-create");
  process.exit(2);
}

const queueOptions = {
  lockDurationMs: optionalNumber(values["lock-duration-ms"]),
  maxDeliveryCount: optionalNumber(values["max-delivery-count"]),
};
const broker = await startBroker({
  host: values.host,
  port: Number(values.port),
  sasKeyName: values["sas-key-name"],
  sasKey: values["sas-key"],
  queues: values.queue.map((name) => ({ name, ...queueOptions })),
  ...(values["auto-create"] ? { autoCreateQueues: queueOptions } : {}),
});
console.log(broker.connectionString);
console.error(
  `servicebus-broker listening on ${values.host}:${broker.port}, queues: ${values.queue.join(", ") || "made on first use"}`,
);

const stop = (): void => {
  broker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
