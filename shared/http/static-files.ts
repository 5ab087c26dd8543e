// Serves a built single-page app from a folder: files by path, the SPA's own paths by index.html,
// hashed assets cached for a year, index.html never (so a new deployment is picked up at once).
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
  /** Answers a GET or HEAD of `path` (the URL path without its leading slash, decoded). */
  serve(path: string, method: string, meta: RequestMeta): Promise<HttpResponseInit>;
}

/** What a missing build answers: a problem naming the command that makes it. */
export type MissingSite = (root: string) => ProblemError;

export function staticSite(root: string, whenMissing: MissingSite): StaticSite {
  const base = resolve(root);
  // Files do not change while the process runs (a deployment restarts it), so each is read once.
  const cache = new Map<string, Buffer | null>();
  const read = async (file: string): Promise<Buffer | null> => {
    const cached = cache.get(file);
    if (cached !== undefined) return cached;
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "EISDIR" || error.code === "ENOTDIR") return null;
      throw error;
    });
    // index.html is not cached while missing: the first build after start is picked up.
    if (bytes !== null) cache.set(file, bytes);
    return bytes;
  };
  const answer = (bytes: Buffer, file: string, cacheControl: string, method: string): HttpResponseInit => ({
    status: 200,
    headers: {
      "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
      "cache-control": cacheControl,
      "content-length": String(bytes.length),
      "x-content-type-options": "nosniff",
    },
    ...(method === "HEAD" ? {} : { body: bytes }),
  });

  return {
    async serve(path, method, meta) {
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
          return answer(bytes, file, hashed ? immutable : revalidate, method);
        }
        // A missing file (it has an extension) is a 404; any other path is one of the SPA's pages.
        if (extname(path) !== "") {
          return problemResponse(new ProblemError("NotFound", `No file serves /${path}.`), meta);
        }
      }
      const html = await read(index);
      if (html === null) return problemResponse(whenMissing(base), meta);
      return answer(html, index, revalidate, method);
    },
  };
}
