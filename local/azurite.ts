// Starts Azurite's Table service (from the azurite npm package) as a child process.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";

const require = createRequire(import.meta.url);

/** Azurite's well-known development account (public, documented by Microsoft). */
const devAccount = "devstoreaccount1";
const devKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface RunningAzurite {
  readonly port: number;
  /** The child's process id, for tests that stop or kill it. */
  readonly pid: number | undefined;
  readonly connectionString: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function tableConnectionString(port: number): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${devAccount};AccountKey=${devKey};` +
    `TableEndpoint=http://127.0.0.1:${port}/${devAccount};`
  );
}

export interface AzuriteOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Keep data in memory only; otherwise under `location`. */
  readonly inMemory: boolean;
  readonly location?: string;
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const port = options.port === 0 ? await freePort() : options.port;
  const main = require.resolve("azurite/dist/src/table/main.js");
  const args = [
    main,
    "--tableHost",
    "127.0.0.1",
    "--tablePort",
    String(port),
    "--disableTelemetry",
    "--skipApiVersionCheck",
    // Access logs cost Azurite CPU on every request, which the benchmarks would measure.
    "--silent",
  ];
  if (options.inMemory) args.push("--inMemoryPersistence");
  else args.push("--location", options.location ?? ".local/azurite");
  // Azurite saves its Table data on disk every 5 s, and when asked to stop ("shutdown" over IPC, or
  // SIGINT); SIGTERM or SIGKILL loses what came since the last save. It takes one request only: a
  // second SIGINT kills it, and SIGINT plus "shutdown" close it twice, which throws and exits, mid-save
  // if need be. A terminal's Ctrl+C reaches the whole process group, so it runs in a group of its own
  // and is asked once, by `stop` below. Should the parent end without asking (killed, crashed), the
  // IPC channel closes, and the preloaded line asks then: it saves and exits rather than run on
  // orphaned. The line unrefs the channel, which would otherwise keep a stopped Azurite alive.
  const stopWhenOrphaned = `data:text/javascript,${encodeURIComponent(
    'process.on("disconnect", () => process.emit("message", "shutdown")); process.channel?.unref();',
  )}`;
  const child: ChildProcess = spawn(process.execPath, ["--import", stopWhenOrphaned, ...args], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    detached: true,
    windowsHide: true,
  });

  await new Promise<void>((resolve, reject) => {
    let output = "";
    // A loaded machine (CI, several test processes) can take a while; one that never starts is killed.
    const giveUp = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Azurite did not start within 60 s:\n${output}`));
    }, 60_000);
    giveUp.unref();
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("successfully started")) {
        clearTimeout(giveUp);
        child.stdout?.off("data", onData);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) =>
      reject(new Error(`Azurite exited with code ${code} before it started (port ${port}?):\n${output}`)),
    );
  });
  child.stdout?.resume();
  child.stderr?.resume();

  return {
    port,
    pid: child.pid,
    connectionString: tableConnectionString(port),
    stop: () => stopAzurite(child),
  };
}

/**
 * Asks Azurite to save and exit, and waits until it has. It reads requests only once fully started,
 * a moment after saying so, and drops what comes before: so it is asked again every half second
 * until it exits (it acts on the first request it reads and drops the rest). A save takes well
 * under a second here; one that has not ended after 60 s is killed.
 */
async function stopAzurite(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // The callback takes the error of a channel that closed meanwhile: Azurite is exiting then.
  const ask = () => child.connected && child.send("shutdown", () => {});
  ask();
  const askAgain = setInterval(ask, 500);
  const giveUp = setTimeout(() => child.kill("SIGKILL"), 60_000);
  await exited;
  clearInterval(askAgain);
  clearTimeout(giveUp);
}
