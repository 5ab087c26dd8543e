// A small stand-in for the Functions host: serves the registered HTTP functions on
// http(s)://host:port/<route> (routes carry their /api or /v1.0 prefix, as with host.json's
// routePrefix ""), converting Node requests to @azure/functions HttpRequest and back.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, maxHeaderSize, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import functionsLibrary, { type HttpResponseInit } from "@azure/functions";
import { type ProblemCode, ProblemError } from "../shared/domain/problem.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { problemResponse, requestMetaOf } from "../shared/http/problem-response.js";
import { createRouteTable } from "../shared/http/route-table.js";

const { HttpRequest, HttpResponse, InvocationContext } = functionsLibrary;

/** The host refuses to buffer more than this; the functions themselves answer 413 above 1 MiB. */
const maxBufferedBytes = 8 * 1024 * 1024;

export interface LocalHostOptions {
  readonly functions: readonly FunctionDefinition[];
  readonly port: number;
  readonly host?: string;
  /** Log function output (errors are always logged). */
  readonly verbose?: boolean;
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export interface LocalHost {
  readonly url: string;
  readonly port: number;
  /** Takes no more requests, and resolves once those under way are answered (or cut, after 10 s). */
  close(): Promise<void>;
}

/** Answers with the same problem the functions use (envelope, request-id), for what the host refuses itself. */
function problem(
  res: ServerResponse,
  code: ProblemCode,
  detail: string,
  headers: Record<string, string> = {},
): void {
  const meta = requestMetaOf(randomUUID(), (name) => headerOf(res.req, name));
  const response = problemResponse(new ProblemError(code, detail, undefined, headers), meta);
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * What the HTTP parser refuses before any function runs. Node would answer a header overflow with a
 * bare 431; it gets a problem like every other refusal. Other parse errors get Node's own answer.
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
      // The headers could not be read: no client-request-id to echo (one is made), no Accept to honour.
      { requestId: randomUUID(), clientRequestId: randomUUID() },
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

/** One request header as a single string (repeated ones joined), or undefined. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return headers;
}

export async function startLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  const table = createRouteTable(options.functions);
  const host = options.host ?? "127.0.0.1";
  const scheme = options.tls ? "https" : "http";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", `${scheme}://${req.headers.host ?? host}`);
    const method = (req.method ?? "GET").toUpperCase();
    // As the Functions host with routePrefix "": each route template names its whole path.
    const chosen = table.resolve(method, url.pathname.slice(1));
    if (chosen.kind === "notFound") {
      return problem(
        res,
        "NotFound",
        `No function serves ${method} ${url.pathname}; the API is under /api/ and /v1.0/.`,
      );
    }
    if (chosen.kind === "methodNotAllowed") {
      const allow = chosen.allow.join(", ");
      return problem(res, "MethodNotAllowed", `${url.pathname} allows ${allow}.`, { allow });
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
    const { definition } = chosen;
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

  // Answers under way, and whether the host is closing: those answers then close their connection,
  // which a client would otherwise keep open for the next request (keepAliveTimeout).
  const underWay = new Set<ServerResponse>();
  let closing = false;
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    underWay.add(res);
    res.once("close", () => underWay.delete(res));
    if (closing) res.shouldKeepAlive = false;
    handle(req, res).catch((error: unknown) => {
      console.error("local host: unhandled error", error);
      if (!res.headersSent) problem(res, "Internal", "unexpected");
      else res.destroy();
    });
  };
  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : createServer(listener);
  server.on("clientError", answerClientError);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${scheme}://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing = true;
        for (const res of underWay) if (!res.headersSent) res.shouldKeepAlive = false;
        const cut = setTimeout(() => server.closeAllConnections(), 10_000);
        server.close((error) => {
          clearTimeout(cut);
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}
