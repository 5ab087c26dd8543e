// `npm start` (local/start.ts) as a person runs it: --help, an unknown flag, and the ports of the
// embedded Azurite and broker chosen with flags. Runs in an empty directory so that its dev key
// and data stay out of the clone.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../local/azurite.js";

const tsx = resolve("node_modules/.bin/tsx");
const start = resolve("local/start.ts");
const cwd = mkdtempSync(join(tmpdir(), "npm-start-"));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? "", ...extra });

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(tsx, [start, ...args], { cwd, env: env(), timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const isListening = (port: number): Promise<boolean> =>
  new Promise((answer) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      answer(true);
    });
    socket.once("error", () => answer(false));
  });

describe.concurrent("npm start", () => {
  it("prints its flags for --help and exits 0", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    for (const flag of [
      "--in-memory",
      "--seed",
      "--verbose",
      "--tables-port",
      "--broker-port",
      "--https",
      "--help",
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stderr).toBe("");
  }, 60_000);

  it("refuses an unknown flag with a one-line error and the usage, without a stack trace", async () => {
    const { code, stdout, stderr } = await run(["--no-such-flag"]);
    expect(code).toBe(2);
    const [first] = stderr.split("\n");
    expect(first).toBe("npm start: unknown option --no-such-flag");
    expect(stderr).toContain("--tables-port");
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).toBe("");
  }, 60_000);

  it("refuses a port that is not a number", async () => {
    const { code, stderr } = await run(["--tables-port", "ten"]);
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(
      "npm start: --tables-port must be a port number (0 to 65535), not ten",
    );
  }, 60_000);

  it("starts Azurite and the broker on the ports given with --tables-port and --broker-port", async () => {
    const [httpPort, tablesPort, brokerPort] = [await freePort(), await freePort(), await freePort()];
    const child: ChildProcess = spawn(
      tsx,
      [start, "--in-memory", "--tables-port", String(tablesPort), "--broker-port", String(brokerPort)],
      { cwd, env: env({ PORT: String(httpPort) }), stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    try {
      let output = "";
      await new Promise<void>((started, failed) => {
        child.stdout?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ctrl+C stops.")) started();
        });
        child.stderr?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        exited.then((code) => failed(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      expect(output).toContain(`Azurite on 127.0.0.1:${tablesPort}`);
      expect(output).toContain(`broker on 127.0.0.1:${brokerPort}`);
      expect(await isListening(tablesPort)).toBe(true);
      expect(await isListening(brokerPort)).toBe(true);
      const health = await fetch(`http://127.0.0.1:${httpPort}/api/health`);
      expect(await health.json()).toEqual({ status: "ok", storage: "ok", queue: "ok" });
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 90_000);

  it("serves https with --https, printing how to trust its certificate, which a client so told accepts", async () => {
    const [httpPort, tablesPort, brokerPort] = [await freePort(), await freePort(), await freePort()];
    const child: ChildProcess = spawn(
      tsx,
      [
        start,
        "--https",
        "--in-memory",
        "--tables-port",
        String(tablesPort),
        "--broker-port",
        String(brokerPort),
      ],
      { cwd, env: env({ PORT: String(httpPort) }), stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    try {
      let output = "";
      await new Promise<void>((started, failed) => {
        child.stdout?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes("Ctrl+C stops.")) started();
        });
        child.stderr?.on("data", (chunk: Buffer) => {
          output += chunk.toString();
        });
        exited.then((code) => failed(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      expect(output).toContain(`on https://localhost:${httpPort}/api`);
      const certPath = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(output)?.[1] ?? "";
      expect(certPath).toBe(join(cwd, ".local/dev-tls/cert.pem"));
      // A Node client started as printed trusts it; one without it refuses the connection.
      const client = (extra: Record<string, string>) =>
        new Promise<string>((done) => {
          const script = `fetch("https://localhost:${httpPort}/v1.0/subscribedSkus").then((r) => console.log(r.status), (e) => console.log(e.cause?.code))`;
          execFile(process.execPath, ["-e", script], { env: env(extra), timeout: 30_000 }, (_, stdout) =>
            done(stdout.trim()),
          );
        });
      expect(await client({ NODE_EXTRA_CA_CERTS: certPath })).toBe("401");
      expect(await client({})).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 90_000);
});
