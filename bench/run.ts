// `npm run bench`: every benchmark against one Azurite, figures printed for the issue notes.
import { startAzurite } from "../local/azurite.js";
import { measureAssignLatency, printAssignLatency } from "./assign-latency.js";

const azurite = await startAzurite({ port: 0, inMemory: true });
try {
  printAssignLatency(await measureAssignLatency(azurite.connectionString));
} finally {
  await azurite.stop();
}
