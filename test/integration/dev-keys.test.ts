// The local development signing key is made once even when several `npm start` (or `npm run token`)
// race for it in a fresh clone: they all end up with the same key.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "dev-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Child {
  readonly ready: Promise<void>;
  readonly publicKeyPem: Promise<string>;
  go(): void;
}

function startChild(file: string): Child {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/dev-key-child.ts", file], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  let output = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.startsWith("ready\n")) markReady();
  });
  const publicKeyPem = new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => {
      const line = output.split("\n")[1];
      if (code === 0 && line) resolve(JSON.parse(line) as string);
      else reject(new Error(`the key child exited with ${code}: ${output}`));
    });
  });
  return { ready, publicKeyPem, go: () => child.stdin.end("go\n") };
}

describe("the development signing key", () => {
  it("is the same for processes that create it at the same moment in an empty directory", async () => {
    const file = join(dir, ".local", "dev-signing-key.json");
    const children = [startChild(file), startChild(file), startChild(file), startChild(file)];
    await Promise.all(children.map((child) => child.ready));
    for (const child of children) child.go();
    const keys = await Promise.all(children.map((child) => child.publicKeyPem));

    expect(new Set(keys).size).toBe(1);
    const stored = JSON.parse(readFileSync(file, "utf8")) as { publicKeyPem: string };
    expect(stored.publicKeyPem).toBe(keys[0]);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, ".local"))).toEqual(["dev-signing-key.json"]);
  }, 60_000);
});
