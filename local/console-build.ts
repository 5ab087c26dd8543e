// Builds the admin console (console/, Vite) into dist/console and checks its size: `npm run build`
// runs it, `npm start` and the browser tests call ensureConsoleBuilt() to build only when stale.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/**
 * What the first page may cost over the wire, gzip: index.html and every file it loads (React,
 * Fluent UI's components, the pages and the API client). docs/console.md states the
 * same figures.
 */
export const bundleBudgetBytes = 250 * 1024;
/** What all of it may cost, with the chunks loaded only on demand (MSAL, with Entra ID's settings). */
export const totalBudgetBytes = 350 * 1024;

const appRoot = fileURLToPath(new URL("..", import.meta.url));
/** Where functions/console.ts serves the console from. */
const consoleRoot = join(appRoot, "dist/console");
/** Beside dist/console, not in it: the console function serves every file in that folder. */
const stampFile = `${consoleRoot}.inputs-sha256`;
/**
 * What the bundle is made of: the console's sources, the domain code it imports, the locked packages,
 * and this build (it also writes the compressed copies).
 */
const inputs = ["console", "shared/domain", "package-lock.json", "local/console-build.ts"];

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

export function consoleInputsHash(): string {
  const hash = createHash("sha256");
  for (const file of inputs.flatMap((input) => filesUnder(join(appRoot, input)))) {
    hash.update(relative(appRoot, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

export interface BundleSize {
  readonly files: readonly {
    readonly name: string;
    readonly bytes: number;
    readonly gzipBytes: number;
    /** Loaded by index.html itself, rather than on demand. */
    readonly firstPage: boolean;
  }[];
  /** index.html and what it loads. */
  readonly gzipBytes: number;
  /** Every file, the on-demand chunks too. */
  readonly totalGzipBytes: number;
}

export function measureBundle(root = consoleRoot): BundleSize {
  const html = readFileSync(join(root, "index.html"), "utf8");
  // Vite names in index.html the entry, its stylesheet and its static imports (modulepreload).
  const loaded = new Set([...html.matchAll(/(?:src|href)="\/?([^"]+)"/g)].map((found) => found[1]));
  const files = filesUnder(root)
    .filter((file) => /\.(js|css|html)$/.test(file))
    .map((file) => {
      const bytes = readFileSync(file);
      const name = relative(root, file);
      const firstPage = name === "index.html" || loaded.has(name);
      return { name, bytes: bytes.length, gzipBytes: gzipSync(bytes).length, firstPage };
    });
  const sum = (of: typeof files) => of.reduce((total, file) => total + file.gzipBytes, 0);
  return { files, gzipBytes: sum(files.filter((file) => file.firstPage)), totalGzipBytes: sum(files) };
}

/** Files smaller than this are sent as they are: compressing them saves less than a packet. */
const compressFrom = 1024;

/**
 * Writes `x.br` (brotli, best) and `x.gz` (gzip, best) beside each file of the bundle worth it, once
 * at build time, for the console function to send to browsers that accept them.
 */
function compressFiles(root: string, size: BundleSize): void {
  for (const { name, bytes } of size.files) {
    if (bytes < compressFrom) continue;
    const file = join(root, name);
    const content = readFileSync(file);
    writeFileSync(
      `${file}.br`,
      brotliCompressSync(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
    );
    writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
  }
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Builds, prints the size of each file and the total, and throws when over the budget. The build
 * goes to a folder of its own and replaces dist/console by renames, so two builds at once (two
 * `npm start`, or one beside the browser tests) never mix their files.
 */
export async function buildConsole(): Promise<BundleSize> {
  const hash = consoleInputsHash();
  const staging = `${consoleRoot}.building-${process.pid}`;
  const { build } = await import("vite");
  // Vite keeps a NODE_ENV already set, and vitest sets "test": without this the browser tests
  // would build (and test, and measure) React's development build instead of the one served.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: join(appRoot, "console/vite.config.ts"), build: { outDir: staging } });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const size = measureBundle(staging);
  for (const file of size.files)
    console.log(
      `  ${file.name}  ${kib(file.bytes)}, gzip ${kib(file.gzipBytes)}${file.firstPage ? "" : " (on demand)"}`,
    );
  const verdict = (bytes: number, budget: number) => (bytes <= budget ? "within" : "OVER");
  console.log(
    `console bundle: first page ${kib(size.gzipBytes)} gzip, ${verdict(size.gzipBytes, bundleBudgetBytes)} ` +
      `its budget of ${kib(bundleBudgetBytes)}; all ${kib(size.totalGzipBytes)}, ` +
      `${verdict(size.totalGzipBytes, totalBudgetBytes)} ${kib(totalBudgetBytes)}`,
  );
  if (size.gzipBytes > bundleBudgetBytes || size.totalGzipBytes > totalBudgetBytes) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `The console bundle is over its budget: first page ${kib(size.gzipBytes)} of ${kib(bundleBudgetBytes)}, ` +
        `all ${kib(size.totalGzipBytes)} of ${kib(totalBudgetBytes)} (gzip).`,
    );
  }
  compressFiles(staging, size);
  const previous = `${consoleRoot}.previous-${process.pid}`;
  try {
    if (existsSync(consoleRoot)) renameSync(consoleRoot, previous);
    renameSync(staging, consoleRoot);
  } catch (error) {
    // Another build swapped its own (same inputs) in between: keep that one.
    if (!existsSync(join(consoleRoot, "index.html"))) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(previous, { recursive: true, force: true });
  writeFileSync(stampFile, hash);
  return size;
}

export function isConsoleBuilt(): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, "utf8") === consoleInputsHash();
}

/** Builds the console unless dist/console was built from the same inputs. */
export async function ensureConsoleBuilt(): Promise<"fresh" | "built"> {
  if (isConsoleBuilt()) return "fresh";
  await buildConsole();
  return "built";
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildConsole();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
