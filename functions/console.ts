// GET / and the admin console's pages: the built single-page app (dist/console), from this same app,
// so no second server. Paths of the API's own spaces are never the console's: they answer 404.
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { HttpRequest } from "@azure/functions";
import { ProblemError } from "../shared/domain/problem.js";
import type { FunctionDefinition } from "../shared/function-definition.js";
import { problemResponse, type RequestMeta, requestMetaOf } from "../shared/http/problem-response.js";
import { staticSite } from "../shared/http/static-files.js";

/**
 * The app's root: this module runs as functions/console.ts (tsx, locally) or as
 * dist/functions/console.js (compiled, in Azure); the console is built into dist/console.
 */
const functionsFolder = dirname(fileURLToPath(import.meta.url));
const appRoot =
  basename(dirname(functionsFolder)) === "dist"
    ? resolve(functionsFolder, "../..")
    : resolve(functionsFolder, "..");
export const consoleRoot = resolve(appRoot, "dist/console");

/** The API's path spaces: an unknown path there is an API 404, not a console page. */
const apiSpace = /^(api|v1\.0|beta)(\/|$)/i;

let site: ReturnType<typeof staticSite> | undefined;

async function serveConsole(request: HttpRequest, meta: RequestMeta) {
  const path = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, "");
  if (apiSpace.test(path)) {
    return problemResponse(
      new ProblemError("NotFound", `No function serves ${request.method} /${path}.`),
      meta,
    );
  }
  site ??= staticSite(
    consoleRoot,
    () =>
      new ProblemError(
        "NotFound",
        "The admin console has not been built: run `npm run build` (npm start builds it).",
      ),
  );
  return site.serve(path, request.method, meta, request.headers.get("accept-encoding"));
}

export const adminConsole: FunctionDefinition = {
  kind: "http",
  name: "console",
  options: {
    methods: ["GET", "HEAD"],
    // With the host's routePrefix "", a catch-all: Azure prefers every literal API route over it.
    route: "{*path}",
    authLevel: "anonymous",
    handler: async (request, context) => {
      const meta = requestMetaOf(context.invocationId, (name) => request.headers.get(name));
      try {
        return await serveConsole(request, meta);
      } catch (error) {
        if (error instanceof URIError) {
          return problemResponse(
            new ProblemError("NotFound", "The path is not a valid percent-encoded URL."),
            meta,
          );
        }
        context.error("console failed unexpectedly", error);
        return problemResponse(new ProblemError("Internal", "unexpected"), meta);
      }
    },
  },
};
