// A small stand-in for the Functions host: serves the registered HTTP functions on
// http://host:port/api/..., converting Node requests to @azure/functions HttpRequest and back.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, maxHeaderSize, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import functionsLibrary, { type HttpResponseInit } from "@azure/functions";
import { type ProblemCode, ProblemError } from "../shared/domain/problem.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { problemResponse } from "../shared/http/problem-response.js";
import { compileRoute, type RouteMatcher } from "./route-template.js";

const { HttpRequest, HttpResponse, InvocationContext } = functionsLibrary;

/** The host refuses to buffer more than this; the functions themselves answer 413 above 1 MiB. */
const maxBufferedBytes = 8 * 1024 * 1024;

export interface LocalHostOptions {
  readonly functions: readonly FunctionDefinition[];
  readonly port: number;
  readonly host?: string;
  /** Log function output (errors are always logged). */
  readonly verbose?: boolean;
}

export interface LocalHost {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

type HttpDefinition = Extract<FunctionDefinition, { kind: "http" }>;

interface Route {
  readonly definition: HttpDefinition;
  readonly matcher: RouteMatcher;
}

/** Answers with the same problem+json the functions use, for what the host refuses itself. */
function problem(
  res: ServerResponse,
  code: ProblemCode,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const response = problemResponse(new ProblemError(code, detail, undefined, headers));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * What the HTTP parser refuses before any function runs. Node would answer a header overflow with a
 * bare 431; it gets problem+json like every other refusal. Other parse errors get Node's own answer.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  if (error.code === "HPE_HEADER_OVERFLOW") {
    const response = problemResponse(
      new ProblemError(
        "RequestHeaderFieldsTooLarge",
        `The request's headers are larger than ${maxHeaderSize / 1024} KiB in all; send a shorter token or fewer headers.`,
      ),
    );
    const headers = Object.entries({
      ...response.headers,
      "content-length": Buffer.byteLength(response.body),
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join("");
    socket.end(
      `HTTP/1.1 431 Request Header Fields Too Large\r\n${headers}connection: close\r\n\r\n${response.body}`,
    );
    return;
  }
  const status =
    error.code === "HPE_CHUNK_EXTENSIONS_OVERFLOW"
      ? "413 Payload Too Large"
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "408 Request Timeout"
        : "400 Bad Request";
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array | "tooLarge"> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBufferedBytes) return "tooLarge";
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

const isCatchAll = (route: Route): boolean => route.definition.options.route.startsWith("{*");

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const routes: Route[] = options.functions
    .filter((definition): definition is HttpDefinition => definition.kind === "http")
    .map((definition) => ({ definition, matcher: compileRoute(definition.options.route) }));
  const host = options.host ?? "127.0.0.1";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`);
    const method = (req.method ?? "GET").toUpperCase();
    // The API's routes live under /api/; every other path belongs to the catch-all console route
    // (functions/console.ts), as it will in Azure once host.json's routePrefix is "".
    const inApi = url.pathname.startsWith("/api/");
    const path = inApi ? url.pathname.slice("/api/".length) : url.pathname.slice(1);
    const matching = routes.flatMap((route) => {
      if (isCatchAll(route) === inApi) return [];
      const params = route.matcher.match(path);
      return params ? [{ route, params }] : [];
    });
    const chosen = matching.find(({ route }) => route.definition.options.methods.includes(method as never));
    if (!chosen) {
      if (matching.length === 0) {
        return problem(res, "NotFound", `No function serves ${method} ${url.pathname}.`);
      }
      const allow = matching.flatMap(({ route }) => route.definition.options.methods).join(", ");
      return problem(res, "MethodNotAllowed", `${url.pathname} allows ${allow}.`, {
        allow,
      });
    }
    const body = await readBody(req);
    if (body === "tooLarge") {
      res.setHeader("connection", "close");
      return problem(res, "PayloadTooLarge", "The request body is larger than 1 MiB.");
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers: headersOf(req),
      params: chosen.params,
      ...(body.length > 0 && method !== "GET" && method !== "HEAD" ? { body: { bytes: body } } : {}),
    });
    const { definition } = chosen.route;
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: definition.name,
      logHandler: (level, ...args) => {
        if (options.verbose || level === "error")
          console[level === "error" ? "error" : "log"](`[${definition.name}]`, ...args);
      },
    });
    const started = performance.now();
    const result = (await definition.options.handler(request, context)) ?? {};
    const duration = performance.now() - started;
    const response = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
    const bytes = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    // How long the function itself took, for benchmarks and browser dev tools.
    headers["server-timing"] = `function;dur=${duration.toFixed(2)}`;
    res.writeHead(response.status, headers);
    res.end(bytes);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error("local host: unhandled error", error);
      if (!res.headersSent) problem(res, "Internal", "unexpected");
      else res.destroy();
    });
  });
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
