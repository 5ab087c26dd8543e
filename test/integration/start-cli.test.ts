// `npm start` (local/start.ts) as a person runs it: --help, an unknown flag, the ports of the
// embedded Azurite and broker chosen with flags, and what it acknowledged surviving a stop by
// Ctrl+C, SIGTERM or SIGHUP. Runs in an empty directory so that its dev key and data (.local/)
// stay out of the clone.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../local/azurite.js";
import { loadOrCreateDevKey, signDevToken } from "../../local/dev-keys.js";

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

interface Running {
  readonly child: ChildProcess;
  /** What it printed so far, stdout and stderr. */
  output(): string;
  /** Once it has exited and so has every process holding its output (Azurite, while it stops). */
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * `npm start` with these flags and PORT, in `dir`; resolves once it says it serves. With `group`, in
 * a process group of its own as a terminal runs it, so that a signal can reach the whole group.
 */
async function launch(
  args: string[],
  { httpPort, dir = cwd, group = false }: { httpPort: number; dir?: string; group?: boolean },
): Promise<Running> {
  const child = spawn(tsx, [start, ...args], {
    cwd: dir,
    env: env({ PORT: String(httpPort) }),
    stdio: ["ignore", "pipe", "pipe"],
    detached: group,
  });
  let output = "";
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once("close", (code, signal) => done({ code, signal })),
  );
  await new Promise<void>((started, failed) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ctrl+C stops.")) started();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    ended.then(({ code }) => failed(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output, ended };
}

const portFlags = async () => [
  "--tables-port",
  String(await freePort()),
  "--broker-port",
  String(await freePort()),
];

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
    const running = await launch(
      ["--in-memory", "--tables-port", String(tablesPort), "--broker-port", String(brokerPort)],
      { httpPort },
    );
    try {
      expect(running.output()).toContain(`Azurite on 127.0.0.1:${tablesPort}`);
      expect(running.output()).toContain(`broker on 127.0.0.1:${brokerPort}`);
      expect(await isListening(tablesPort)).toBe(true);
      expect(await isListening(brokerPort)).toBe(true);
      const health = await fetch(`http://127.0.0.1:${httpPort}/api/health`);
      expect(await health.json()).toEqual({ status: "ok", storage: "ok", queue: "ok" });
    } finally {
      running.child.kill("SIGTERM");
      await running.ended;
    }
  }, 90_000);

  it("serves https with --https, printing how to trust its certificate, which a client so told accepts", async () => {
    const httpPort = await freePort();
    const running = await launch(["--https", "--in-memory", ...(await portFlags())], { httpPort });
    try {
      const output = running.output();
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
      running.child.kill("SIGTERM");
      await running.ended;
    }
  }, 90_000);
});

// One at a time: each starts `npm start` twice, which takes a few seconds of both cores.
describe("npm start on disk", () => {
  /** 100 users, each answered 201, created 10 at a time: their ids. */
  async function createUsers(httpPort: number, token: string): Promise<string[]> {
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const created = await Promise.all(
        Array.from({ length: 10 }, async (_, i) => {
          const response = await fetch(`http://127.0.0.1:${httpPort}/api/users`, {
            method: "POST",
            headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
            body: JSON.stringify({
              userPrincipalName: `user${batch * 10 + i}@contoso.example`,
              displayName: "U",
            }),
          });
          const body = (await response.json()) as { id: string };
          expect(response.status, JSON.stringify(body)).toBe(201);
          return body.id;
        }),
      );
      ids.push(...created);
    }
    return ids;
  }

  // Azurite saves every 5 s on its own: the stop comes right after the last answer, so that the
  // last seconds' writes are on disk only if the stop saved them.
  it.each([
    { how: "Ctrl+C in its terminal (SIGINT to the process group)", signal: "SIGINT", group: true, code: 130 },
    {
      how: "SIGTERM to the process (an IDE, a process manager, docker stop)",
      signal: "SIGTERM",
      group: false,
      code: 143,
    },
    // tsx passes SIGHUP on to nobody: a terminal closing sends it to the whole group.
    { how: "its terminal closing (SIGHUP to the process group)", signal: "SIGHUP", group: true, code: null },
  ] as const)(
    "keeps every user it answered 201 for when stopped by $how",
    async ({ signal, group, code }) => {
      const dir = mkdtempSync(join(tmpdir(), "npm-start-disk-"));
      try {
        const httpPort = await freePort();
        const first = await launch(await portFlags(), { httpPort, dir, group });
        const { privateJwk } = await loadOrCreateDevKey(join(dir, ".local/dev-signing-key.json"));
        const tenantId = randomUUID();
        const token = await signDevToken(privateJwk, {
          tenantId,
          roles: ["GlobalAdministrator"],
          objectId: randomUUID(),
        });
        let ids: string[] = [];
        try {
          ids = await createUsers(httpPort, token);
        } finally {
          process.kill(group ? -(first.child.pid ?? 0) : (first.child.pid ?? 0), signal);
        }
        const ended = await first.ended;

        const secondPort = await freePort();
        const second = await launch(await portFlags(), { httpPort: secondPort, dir });
        try {
          const response = await fetch(`http://127.0.0.1:${secondPort}/api/users?top=999`, {
            headers: { authorization: `Bearer ${token}` },
          });
          const body = (await response.json()) as { value: { id: string }[] };
          expect(response.status).toBe(200);
          expect(body.value.map((user) => user.id).sort()).toEqual([...ids].sort());
          // It said it stopped, with the status a shell gives a process that a signal ended.
          expect(first.output()).toContain("Stopped.");
          if (code !== null) expect(ended.code).toBe(code);
        } finally {
          second.child.kill("SIGTERM");
          await second.ended;
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
