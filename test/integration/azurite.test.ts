// The embedded Azurite (local/azurite.ts) on disk: what it acknowledged is there after a restart,
// whether it was stopped right after the write or the process that started it was killed.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TableClient } from "@azure/data-tables";
import { afterEach, describe, expect, it } from "vitest";
import { startAzurite } from "../../local/azurite.js";
import { eventually } from "../support/eventually.js";

const table = (connectionString: string) =>
  TableClient.fromConnectionString(connectionString, "saved", { allowInsecureConnection: true });

const entity = { partitionKey: "p", rowKey: "r", note: "acknowledged" };

/** Azurite started again on `location`: the entity, if it is there. */
async function readBack(location: string) {
  const azurite = await startAzurite({ port: 0, inMemory: false, location });
  try {
    const client = table(azurite.connectionString);
    const found = await client.getEntity<{ note: string }>("p", "r").catch(() => undefined);
    return found?.note;
  } finally {
    await azurite.stop();
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let location = "";
afterEach(() => rmSync(location, { recursive: true, force: true }));

describe("Azurite on disk", () => {
  it("keeps a write acknowledged just before it was stopped (its own save is 5 s away)", async () => {
    location = mkdtempSync(join(tmpdir(), "azurite-stop-"));
    const azurite = await startAzurite({ port: 0, inMemory: false, location });
    try {
      const client = table(azurite.connectionString);
      await client.createTable();
      await client.createEntity(entity);
    } finally {
      await azurite.stop();
    }
    expect(await readBack(location)).toBe("acknowledged");
  }, 60_000);

  it("saves and exits when the process that started it is killed", async () => {
    location = mkdtempSync(join(tmpdir(), "azurite-orphan-"));
    const child = spawn(process.execPath, ["--import", "tsx", "test/support/azurite-child.ts", location], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const started = await new Promise<{ pid: number; connectionString: string }>((resolve, reject) => {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("\n")) resolve(JSON.parse(output) as { pid: number; connectionString: string });
      });
      child.once("exit", (code) => reject(new Error(`the Azurite child exited with ${code}: ${output}`)));
    });
    try {
      const client = table(started.connectionString);
      await client.createTable();
      await client.createEntity(entity);
      child.kill("SIGKILL");
      await eventually(
        async () => isRunning(started.pid),
        (running) => !running,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
    } finally {
      // Without the fix Azurite runs on orphaned: end it here, not in the next test.
      if (isRunning(started.pid)) process.kill(started.pid, "SIGKILL");
    }
    expect(await readBack(location)).toBe("acknowledged");
  }, 60_000);
});
