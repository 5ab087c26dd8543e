// A process that starts Azurite on disk in the given folder, prints its process id and connection
// string as one JSON line, and runs until it is killed: for the test of an Azurite whose starter died.
import { startAzurite } from "../../local/azurite.js";

const azurite = await startAzurite({ port: 0, inMemory: false, location: process.argv[2] ?? "" });
process.stdout.write(`${JSON.stringify({ pid: azurite.pid, connectionString: azurite.connectionString })}\n`);
