// The console's static files (shared/http/static-files.ts) against a folder laid out as Vite builds
// it: files by path with their content types, the SPA's pages by index.html, hashed assets cached
// for a year and index.html never, nothing outside the folder.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { ProblemError } from "../../shared/domain/problem.js";
import { acceptedEncodings, staticSite } from "../../shared/http/static-files.js";

/** The request meta a function passes: every answer, a 404 too, names its request. */
const meta = { requestId: "00000000-0000-4000-8000-000000000001" };

const root = mkdtempSync(join(tmpdir(), "static-site-"));
mkdirSync(join(root, "assets"));
writeFileSync(join(root, "index.html"), "<!doctype html><title>console</title>");
writeFileSync(join(root, "assets/index-AbC123.js"), "console.log(1)");
writeFileSync(join(root, "assets/index-AbC123.css"), "body{}");
writeFileSync(join(root, "favicon.svg"), "<svg/>");
// As the build writes them beside a file worth compressing (local/console-build.ts).
const bundle = "console.log('the console');".repeat(100);
writeFileSync(join(root, "assets/big-Zz9.js"), bundle);
writeFileSync(join(root, "assets/big-Zz9.js.br"), brotliCompressSync(bundle));
writeFileSync(join(root, "assets/big-Zz9.js.gz"), gzipSync(bundle));
writeFileSync(join(tmpdir(), "outside-the-site.txt"), "secret");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const missing = () => new ProblemError("NotFound", "not built");
const site = staticSite(root, missing);
const headerOf = (response: { headers?: unknown }, name: string) =>
  (response.headers as Record<string, string> | undefined)?.[name];

describe("the console's static files", () => {
  it("serves index.html at / and at any page path, never cached", async () => {
    for (const path of ["", "licenses", "users/3f2a/licenses", "users/adele@contoso.example"]) {
      const response = await site.serve(path, "GET", meta);
      expect(response.status, path).toBe(200);
      expect(headerOf(response, "content-type")).toBe("text/html; charset=utf-8");
      expect(headerOf(response, "cache-control")).toBe("no-cache");
      expect(String(response.body)).toContain("<title>console</title>");
    }
  });

  it("serves hashed assets with their content type, cached for a year", async () => {
    const js = await site.serve("assets/index-AbC123.js", "GET", meta);
    expect(headerOf(js, "content-type")).toBe("text/javascript; charset=utf-8");
    expect(headerOf(js, "cache-control")).toBe("public, max-age=31536000, immutable");
    const css = await site.serve("assets/index-AbC123.css", "GET", meta);
    expect(headerOf(css, "content-type")).toBe("text/css; charset=utf-8");
    const svg = await site.serve("favicon.svg", "GET", meta);
    expect(headerOf(svg, "content-type")).toBe("image/svg+xml");
    expect(headerOf(svg, "cache-control")).toBe("no-cache");
  });

  it("sends what the build compressed as the client accepts it: brotli first, then gzip, else the file itself", async () => {
    const br = await site.serve("assets/big-Zz9.js", "GET", meta, "gzip, deflate, br, zstd");
    expect(headerOf(br, "content-encoding")).toBe("br");
    expect(headerOf(br, "content-type")).toBe("text/javascript; charset=utf-8");
    expect(brotliDecompressSync(br.body as Buffer).toString()).toBe(bundle);
    expect(headerOf(br, "content-length")).toBe(String((br.body as Buffer).length));

    const gzip = await site.serve("assets/big-Zz9.js", "GET", meta, "gzip, br;q=0");
    expect(headerOf(gzip, "content-encoding")).toBe("gzip");
    expect(gunzipSync(gzip.body as Buffer).toString()).toBe(bundle);

    for (const accept of [undefined, "identity", "br;q=0, gzip;q=0"]) {
      const plain = await site.serve("assets/big-Zz9.js", "GET", meta, accept);
      expect(headerOf(plain, "content-encoding"), accept).toBeUndefined();
      expect(String(plain.body)).toBe(bundle);
      expect(headerOf(plain, "vary")).toBe("Accept-Encoding");
    }
    // A file the build did not compress goes as it is, whatever the client accepts.
    const small = await site.serve("assets/index-AbC123.js", "GET", meta, "br, gzip");
    expect(headerOf(small, "content-encoding")).toBeUndefined();
    expect(String(small.body)).toBe("console.log(1)");
    // Looked for once, as the file itself is read once: a copy appearing later is not read.
    writeFileSync(join(root, "assets/index-AbC123.js.br"), brotliCompressSync("console.log(2)"));
    const again = await site.serve("assets/index-AbC123.js", "GET", meta, "br, gzip");
    expect(headerOf(again, "content-encoding")).toBeUndefined();
    expect(String(again.body)).toBe("console.log(1)");
  });

  it("reads Accept-Encoding as RFC 9110 does: case, spaces, q=0 refusing, * allowing any", () => {
    expect([...acceptedEncodings(" GZIP ;q=0.5 , BR")]).toEqual(["gzip", "br"]);
    expect([...acceptedEncodings("br;q=0, *")]).toEqual(["gzip"]);
    expect([...acceptedEncodings("*;q=0")]).toEqual([]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await site.serve("assets/index-AbC123.js", "HEAD", meta);
    expect(response.status).toBe(200);
    expect(headerOf(response, "content-length")).toBe("14");
    expect(response.body).toBeUndefined();
  });

  it("answers a 404 problem for a missing file, not index.html", async () => {
    const response = await site.serve("assets/index-Gone99.js", "GET", meta);
    expect(response.status).toBe(404);
    expect(headerOf(response, "content-type")).toBe("application/json");
    const asked = await site.serve("assets/index-Gone99.js", "GET", {
      ...meta,
      accept: "application/problem+json",
    });
    expect(headerOf(asked, "content-type")).toBe("application/problem+json");
    for (const path of ["favicon.ico", "robots.txt", "assets/nested/gone.css"]) {
      expect((await site.serve(path, "GET", meta)).status, path).toBe(404);
    }
  });

  it("answers a path that can name no file (a NUL, a name too long, a link loop) with a 404, or index.html at a page path", async () => {
    symlinkSync("loop.js", join(root, "loop.js"));
    const long = "a".repeat(5_000);
    for (const path of [
      "assets/\0.js",
      "\0.js",
      `${long}.js`,
      `assets/${long}.css`,
      "loop.js",
      "assets/\0/x.css",
    ]) {
      const response = await site.serve(path, "GET", meta);
      expect(response.status, path.slice(0, 40)).toBe(404);
      expect(JSON.parse(String(response.body)), path.slice(0, 40)).toMatchObject({ code: "NotFound" });
    }
    for (const path of ["\0", long, `users/\0`, `users/${long}`]) {
      const response = await site.serve(path, "GET", meta);
      expect(response.status, path.slice(0, 40)).toBe(200);
      expect(String(response.body)).toContain("<title>console</title>");
    }
  });

  it("serves nothing outside its folder", async () => {
    for (const path of ["../outside-the-site.txt", "assets/../../outside-the-site.txt"]) {
      const response = await site.serve(path, "GET", meta);
      expect(response.status, path).toBe(404);
    }
  });

  it("says how to build the console when it is not built", async () => {
    const empty = mkdtempSync(join(tmpdir(), "static-site-empty-"));
    try {
      const response = await staticSite(empty, missing).serve("licenses", "GET", meta);
      expect(response.status).toBe(404);
      expect(JSON.parse(String(response.body)).detail).toBe("not built");
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
