// Two instances of the app on one Table Storage table and one queue, as Azure runs it once it scales
// out: A in this process, B in a child process (./instance-child.ts), each with its own caches,
// locks and queue receiver. Both trust the same signing key, so one token serves both.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { inject } from "vitest";
import { type TokenOptions, testAudience, testIssuer } from "../../local/in-process-app.js";
import { callerOf, startTestApp, type TestApp } from "./test-app.js";

export interface TwoInstances {
  readonly a: TestApp;
  /** B's services live in its own process: a test reaches it over HTTP and the queue only. */
  readonly b: Omit<TestApp, "services">;
  /** The queue both instances' workers take messages from. */
  readonly queue: string;
  close(): Promise<void>;
}

export async function startTwoInstances(): Promise<TwoInstances> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const queue = `provisioning-${randomUUID()}`;
  const env = {
    AUTH_PUBLIC_KEY_PEM: await exportSPKI(publicKey),
    TABLES_TABLE_NAME: `t${randomUUID().replaceAll("-", "")}`,
    PROVISIONING_QUEUE: queue,
  };
  const token = (tenantId: string, o: TokenOptions = {}) =>
    new SignJWT({
      tid: tenantId,
      oid: o.objectId ?? randomUUID(),
      roles: [...(o.roles ?? ["GlobalAdministrator"])],
    })
      .setProtectedHeader({ alg: "RS256" })
      .setIssuer(testIssuer)
      .setAudience(testAudience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
  const a = await startTestApp({ env });
  const child: ChildProcessByStdio<Writable, Readable, null> = spawn(
    process.execPath,
    ["--import", "tsx", "test/support/instance-child.ts"],
    {
      env: {
        ...process.env,
        INSTANCE_OPTIONS: JSON.stringify({
          tablesConnection: inject("tablesConnection"),
          serviceBusConnection: inject("serviceBusConnection"),
          env,
        }),
      },
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) =>
      reject(new Error(`the second instance exited with ${code} before it started`)),
    );
  });
  const b: Omit<TestApp, "services"> = {
    url,
    token,
    call: callerOf(url),
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
  return {
    a: { ...a, token },
    b,
    queue,
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  };
}
