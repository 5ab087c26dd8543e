// The local host (local/host.ts) stopping: a request under way is answered, not cut.
import { describe, expect, it } from "vitest";
import { startLocalHost } from "../../local/host.js";

describe("the local host, closing", () => {
  it("answers the requests under way, then closes their connections and takes no more", async () => {
    let entered = () => {};
    const handlerEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const host = await startLocalHost({
      port: 0,
      functions: [
        {
          kind: "http",
          name: "slow",
          options: {
            route: "api/slow",
            methods: ["GET"],
            handler: async () => {
              entered();
              await released;
              return { status: 200, jsonBody: { done: true } };
            },
          },
        },
      ],
    });
    const answer = fetch(`${host.url}/api/slow`);
    await handlerEntered;
    const closed = host.close();
    release();
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.json()).toEqual({ done: true });
    await closed;
    await expect(fetch(`${host.url}/api/slow`)).rejects.toThrow();
  }, 30_000);
});
