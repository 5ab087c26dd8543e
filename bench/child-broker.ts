// The local Service Bus broker in a process of its own, as the emulator or Service Bus would be: a
// benchmark's client then does not share its event loop with the broker's work.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export interface ChildBroker {
  readonly connectionString: string;
  stop(): Promise<void>;
}

/** Starts the broker's CLI with `queue`, or making queues on first use, and resolves with its connection string. */
export async function startChildBroker(queue?: string): Promise<ChildBroker> {
  const cli = fileURLToPath(new URL("../local/servicebus-broker/cli.ts", import.meta.url));
  const queues = queue
    ? ["--queue", queue]
    : ["--auto-create", "--max-delivery-count", "10", "--lock-duration-ms", "60000"];
  const child = spawn(process.execPath, [...process.execArgv, cli, "--port", "0", ...queues], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  return {
    connectionString: line,
    async stop() {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
