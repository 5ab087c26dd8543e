// POST /v1.0/$batch (and /api/$batch): Microsoft Graph's JSON batch. Each request goes in-process
// to the function its route binds (shared/http/batch-dispatcher.ts); the registry passes in the
// functions to route to, since a function module does not import the registry.
import type { FunctionDefinition } from "../shared/function-definition.js";
import { dispatchBatch } from "../shared/http/batch-dispatcher.js";
import { httpFunction } from "../shared/http/http-function.js";
import { jsonResponse } from "../shared/http/problem-response.js";
import { routePrefixes } from "../shared/http/route.js";
import { createRouteTable, type RouteTable } from "../shared/http/route-table.js";
import { routes } from "../shared/http/routes.js";

export function batch(served: () => readonly FunctionDefinition[]): FunctionDefinition {
  let table: RouteTable | undefined;
  return httpFunction(routes.batch, async ({ request, context, body }) => {
    table ??= createRouteTable(served());
    const segment = new URL(request.url).pathname.split("/")[1] ?? "";
    const prefix = routePrefixes.find((known) => known.toLowerCase() === segment.toLowerCase()) ?? "api";
    const responses = await dispatchBatch(body.requests, {
      table,
      prefix,
      batchUrl: request.url,
      authorization: request.headers.get("authorization"),
      clientRequestId: request.headers.get("client-request-id"),
      log: (level, ...args) => {
        if (level === "error" || level === "critical") context.error(...args);
        else if (level === "warning") context.warn(...args);
        else context.log(...args);
      },
    });
    return jsonResponse(200, { responses });
  });
}
