import { measureAssignLatency, printAssignLatency } from "../bench/assign-latency.js";
import { startChildBroker } from "../bench/child-broker.js";
import { startAzurite } from "../local/azurite.js";

const azurite = await startAzurite({ port: 0, inMemory: true });
const childBroker = await startChildBroker();
try {
  printAssignLatency(
    await measureAssignLatency(
      azurite.connectionString,
      childBroker.connectionString,
      Number(process.argv[2] ?? 300),
    ),
  );
} finally {
  await childBroker.stop();
  await azurite.stop();
}
