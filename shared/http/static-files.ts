// Serves a built single-page app from a folder: files by path, the SPA's own paths by index.html,
// hashed assets cached for a year, index.html never (so a new deployment is picked up at once). A
// file the build also wrote compressed (`x.js.br`, `x.js.gz` beside `x.js`) is sent compressed to a
// client that accepts it: the Functions host compresses nothing itself.
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import type { HttpResponseInit } from "@azure/functions";
import { ProblemError } from "../domain/problem.js";
import { problemResponse, type RequestMeta } from "./problem-response.js";

const contentTypes: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Vite writes content-hashed file names under assets/: a changed file gets a new name. */
const immutable = "public, max-age=31536000, immutable";
const revalidate = "no-cache";

export interface StaticSite {
  /**
   * Answers a GET or HEAD of `path` (the URL path without its leading slash, decoded);
   * `acceptEncoding` is the request's `Accept-Encoding` header, if it has one.
   */
  serve(
    path: string,
    method: string,
    meta: RequestMeta,
    acceptEncoding?: string | null,
  ): Promise<HttpResponseInit>;
}

/** The encodings the build writes, in the order they are preferred, with their files' suffixes. */
const encodings = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/**
 * The encodings an `Accept-Encoding` header allows (RFC 9110, 12.5.3): each named without `q=0`, and
 * with `*` every one the build writes that is not refused by name.
 */
export function acceptedEncodings(header: string | null | undefined): ReadonlySet<string> {
  const accepted = new Set<string>();
  const refused = new Set<string>();
  let any = false;
  for (const part of (header ?? "").split(",")) {
    const [token = "", ...parameters] = part.trim().toLowerCase().split(";");
    const q = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const name = token.trim();
    if (!name) continue;
    if (q !== undefined && Number(q.slice(2)) === 0) refused.add(name);
    else if (name === "*") any = true;
    else accepted.add(name);
  }
  if (any) for (const { name } of encodings) if (!refused.has(name)) accepted.add(name);
  for (const name of refused) accepted.delete(name);
  return accepted;
}

/**
 * What reading a path that names no file fails with: nothing there, a folder, a file where a folder
 * was meant, a name or path too long, a symbolic link loop, a name the file system refuses. Any
 * other failure (no permission, too many open files) is the server's trouble, not the path's.
 */
const notAFile = new Set(["ENOENT", "EISDIR", "ENOTDIR", "ENAMETOOLONG", "ELOOP", "EINVAL"]);

/** What a missing build answers: a problem naming the command that makes it. */
export type MissingSite = (root: string) => ProblemError;

export function staticSite(root: string, whenMissing: MissingSite): StaticSite {
  const base = resolve(root);
  // Files do not change while the process runs (a deployment restarts it), so each is read once.
  const cache = new Map<string, Buffer | null>();
  // `rememberMissing`: a compressed copy the build did not write (index.html, a file under 1 KiB) is
  // looked for once, not on every request for its file. A missing file itself, index.html above
  // all, is looked for again: the first build after start is picked up.
  const read = async (file: string, rememberMissing = false): Promise<Buffer | null> => {
    // No file's name holds a NUL (Node refuses it rather than look).
    if (file.includes("\0")) return null;
    const cached = cache.get(file);
    if (cached !== undefined) return cached;
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== undefined && notAFile.has(error.code)) return null;
      throw error;
    });
    if (bytes !== null || rememberMissing) cache.set(file, bytes);
    return bytes;
  };
  const answer = async (
    bytes: Buffer,
    file: string,
    cacheControl: string,
    method: string,
    acceptEncoding: string | null | undefined,
  ): Promise<HttpResponseInit> => {
    const accepted = acceptedEncodings(acceptEncoding);
    let body = bytes;
    let encoding: string | undefined;
    for (const { name, suffix } of encodings) {
      if (!accepted.has(name)) continue;
      // Beside a file that is there, its copies are there or not for as long as it is.
      const encoded = await read(file + suffix, true);
      if (encoded === null) continue;
      body = encoded;
      encoding = name;
      break;
    }
    return {
      status: 200,
      headers: {
        "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
        "cache-control": cacheControl,
        "content-length": String(body.length),
        ...(encoding ? { "content-encoding": encoding } : {}),
        // Caches must keep the encodings apart, whether this answer was compressed or not.
        vary: "Accept-Encoding",
        "x-content-type-options": "nosniff",
      },
      ...(method === "HEAD" ? {} : { body }),
    };
  };

  return {
    async serve(path, method, meta, acceptEncoding) {
      const file = resolve(base, path);
      // `..` or an absolute path that leaves the folder serves nothing.
      if (file !== base && !file.startsWith(base + sep)) {
        return problemResponse(new ProblemError("NotFound", `No file serves /${path}.`), meta);
      }
      const index = resolve(base, "index.html");
      if (file !== base && file !== index) {
        const bytes = await read(file);
        if (bytes !== null) {
          const hashed = path.startsWith("assets/");
          return answer(bytes, file, hashed ? immutable : revalidate, method, acceptEncoding);
        }
        // A missing file is a 404: a path under assets/, or a name with an extension at the root
        // (favicon.ico). Any other path is one of the SPA's pages, a dot in it or not
        // (`users/adele@contoso.example`, a user's panel by user name).
        if (path.startsWith("assets/") || (!path.includes("/") && extname(path) !== "")) {
          return problemResponse(new ProblemError("NotFound", `No file serves /${path}.`), meta);
        }
      }
      const html = await read(index);
      if (html === null) return problemResponse(whenMissing(base), meta);
      return answer(html, index, revalidate, method, acceptEncoding);
    },
  };
}
