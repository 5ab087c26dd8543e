// `npm run bench`: every benchmark against one Azurite and one local broker, figures printed for
// the issue notes. Compare ratios within one run: these machines are shared and noisy.
import { startAzurite } from "../local/azurite.js";
import { startBroker } from "../local/servicebus-broker/index.js";
import { measureAssignLatency, printAssignLatency } from "./assign-latency.js";
import { measureBulk, printBulk } from "./bulk.js";
import { startChildBroker } from "./child-broker.js";
import { measureConsoleFirstPage, printConsoleFirstPage } from "./console-first-page.js";
import { measureFanout, printFanout } from "./fanout.js";
import { measureGraphBatch, printGraphBatch } from "./graph-batch.js";
import { measureGroupLicensing, printGroupLicensing } from "./group-licensing.js";
import { measureRetentionSweep, printRetentionSweep } from "./retention-sweep.js";

const azurite = await startAzurite({ port: 0, inMemory: true });
// The fan-out benchmark reads the broker's queue counts, so it gets one in this process; the latency,
// bulk, Graph-style and console benchmarks time a client, so theirs runs apart, as the emulator or
// Service Bus would.
const broker = await startBroker({
  queues: [],
  autoCreateQueues: { maxDeliveryCount: 10, lockDurationMs: 60_000 },
});
const childBroker = await startChildBroker();
try {
  printAssignLatency(await measureAssignLatency(azurite.connectionString, childBroker.connectionString));
  console.log();
  printFanout(await measureFanout(azurite.connectionString, broker));
  console.log();
  const bulk = await measureBulk(azurite.connectionString, childBroker);
  printBulk(bulk);
  console.log();
  printGroupLicensing(await measureGroupLicensing(azurite.connectionString, childBroker), bulk.bulkPerSecond);
  console.log();
  printGraphBatch(await measureGraphBatch(azurite.connectionString, childBroker));
  console.log();
  printConsoleFirstPage(await measureConsoleFirstPage(azurite.connectionString, childBroker));
  console.log();
  printRetentionSweep([
    await measureRetentionSweep(azurite.connectionString, broker.connectionString, 100_000, 1_000),
    await measureRetentionSweep(azurite.connectionString, broker.connectionString, 10_000, 1_000),
  ]);
} finally {
  await childBroker.stop();
  await broker.close();
  await azurite.stop();
}
