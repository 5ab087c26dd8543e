// A child process for the development key race: says "ready", waits for a line on stdin so that
// every child starts at once, then loads or makes the key in the given file and prints its PEM.
import { loadOrCreateDevKey } from "../../local/dev-keys.js";

const file = process.argv[2] ?? "";
process.stdout.write("ready\n");
process.stdin.once("data", () => {
  loadOrCreateDevKey(file).then(
    (key) => {
      process.stdout.write(`${JSON.stringify(key.publicKeyPem)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
