// Request headers over Node's limit (16 KiB) are refused by the local host's HTTP parser before any
// function runs: the answer is still a problem with Graph's envelope, 431 RequestHeaderFieldsTooLarge
// (as application/json: the headers, Accept among them, could not be read).
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/test-app.js";

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ triggers: false });
});
afterAll(async () => {
  await app?.close();
});

function get(path: string, headers: Record<string, string>) {
  return new Promise<{
    status: number;
    contentType: string | undefined;
    requestId: string | undefined;
    body: string;
  }>((resolve, reject) => {
    const req = request(`${app.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers["content-type"],
          requestId: res.headers["request-id"] as string | undefined,
          body,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the local host", () => {
  it("answers an oversized request header with a problem 431 in Graph's envelope", async () => {
    const response = await get("/api/subscribedSkus", { authorization: `Bearer ${"x".repeat(20_000)}` });
    expect(response.status).toBe(431);
    expect(response.contentType).toBe("application/json");
    expect(JSON.parse(response.body)).toMatchObject({
      status: 431,
      code: "RequestHeaderFieldsTooLarge",
      detail: expect.stringContaining("16 KiB"),
      error: { code: "RequestHeaderFieldsTooLarge", innerError: { "request-id": response.requestId } },
    });
  });

  it("still serves requests after refusing one", async () => {
    await get("/api/health", { "x-filler": "y".repeat(20_000) });
    expect((await get("/api/health", {})).status).toBe(200);
  });
});
