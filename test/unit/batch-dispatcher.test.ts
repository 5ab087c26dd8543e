// The $batch dispatcher's scheduling, with handlers that report when they run: independent requests
// run at once (bounded), dependent ones after what they name.
import type { HttpHandler, HttpRequest } from "@azure/functions";
import { describe, expect, it } from "vitest";
import { dispatchBatch } from "../../shared/http/batch-dispatcher.js";
import type { BatchRequestStep } from "../../shared/http/batch-schemas.js";
import { createRouteTable } from "../../shared/http/route-table.js";

/** A table with one route, `GET v1.0/items/{name}`, served by `handler`. */
const tableOf = (handler: (name: string, request: HttpRequest) => Promise<number>) => {
  const run: HttpHandler = async (request) => ({
    status: await handler(request.params.name ?? "", request),
    jsonBody: { name: request.params.name },
  });
  return createRouteTable([
    {
      kind: "http",
      name: "getItem",
      options: { route: "v1.0/items/{name}", methods: ["GET"], handler: run },
    },
  ]);
};

const get = (id: string, dependsOn?: string[]): BatchRequestStep => ({
  id,
  method: "GET",
  url: `items/${id}`,
  ...(dependsOn ? { dependsOn } : {}),
});

const dispatch = (
  table: ReturnType<typeof createRouteTable>,
  steps: BatchRequestStep[],
  concurrency?: number,
) =>
  dispatchBatch(steps, {
    table,
    prefix: "v1.0",
    batchUrl: "https://localhost/v1.0/$batch",
    authorization: "Bearer token",
    log: () => {},
    ...(concurrency ? { concurrency } : {}),
  });

describe("dispatchBatch", () => {
  // Each handler waits until all three have started: run one after another, they never would.
  it("runs independent requests concurrently", async () => {
    let started = 0;
    let allStarted: () => void = () => {};
    const barrier = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const table = tableOf(async () => {
      started++;
      if (started === 3) allStarted();
      await barrier;
      return 200;
    });
    const answers = await dispatch(table, [get("a"), get("b"), get("c")]);
    expect(answers.map((answer) => [answer.id, answer.status])).toEqual([
      ["a", 200],
      ["b", 200],
      ["c", 200],
    ]);
    expect(answers[0]?.body).toEqual({ name: "a" });
  }, 5_000);

  it("runs at most `concurrency` requests at a time", async () => {
    let running = 0;
    let most = 0;
    const table = tableOf(async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return 200;
    });
    await dispatch(
      table,
      ["1", "2", "3", "4", "5", "6", "7"].map((id) => get(id)),
      3,
    );
    expect(most).toBe(3);
  });

  it("starts a request only after every request it depends on has answered", async () => {
    const events: string[] = [];
    const table = tableOf(async (name) => {
      events.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`end ${name}`);
      return 200;
    });
    await dispatch(table, [get("c", ["a", "b"]), get("b", ["a"]), get("a")]);
    expect(events).toEqual(["start a", "end a", "start b", "end b", "start c", "end c"]);
  });

  it("answers 424 for a request whose dependency failed, directly or not, and does not run it", async () => {
    const ran: string[] = [];
    const table = tableOf(async (name) => {
      ran.push(name);
      return name === "bad" ? 409 : 200;
    });
    const answers = await dispatch(table, [
      get("bad"),
      get("next", ["bad"]),
      get("last", ["next"]),
      get("free"),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([409, 424, 424, 200]);
    expect(answers[1]?.body).toMatchObject({ status: 424, code: "FailedDependency" });
    expect(ran.sort()).toEqual(["bad", "free"]);
  });

  it("passes the batch's Authorization header to every request, never the request's own", async () => {
    const seen: (string | null)[] = [];
    const table = tableOf(async (_, request) => {
      seen.push(request.headers.get("authorization"));
      return 200;
    });
    await dispatch(table, [{ ...get("a"), headers: { Authorization: "Bearer other" } }, get("b")]);
    expect(seen).toEqual(["Bearer token", "Bearer token"]);
  });
});
