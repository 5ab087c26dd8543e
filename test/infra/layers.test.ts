// The layer rules of docs/architecture.md hold on the real tree, and each rule of .dependency-cruiser.cjs
// does catch the import it forbids (checked on a throw-away tree that mirrors the repository's layout).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { cruise, type ICruiseResult } from "dependency-cruiser";
import extractDepcruiseOptions from "dependency-cruiser/config-utl/extract-depcruise-options";
import extractTSConfig from "dependency-cruiser/config-utl/extract-ts-config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repository = resolve(import.meta.dirname, "../..");

async function violations(baseDir: string, folders: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(join(repository, ".dependency-cruiser.cjs"));
  const tsConfig = extractTSConfig(join(repository, "tsconfig.json"));
  const { output } = await cruise(folders, { ...options, baseDir }, {}, { tsConfig });
  if (typeof output === "string") throw new Error("dependency-cruiser answered text, not a result");
  const result: ICruiseResult = output;
  return result.summary.violations.map(
    (violation) => `${violation.rule.name}: ${violation.from} → ${violation.to}`,
  );
}

describe("the layer rules (npm run lint:layers)", () => {
  it("hold on the repository's code", async () => {
    expect(
      await violations(repository, ["shared", "functions", "local", "bench", "test", "console"]),
    ).toEqual([]);
  }, 60_000);

  let tree = "";
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), "layers-"));
    symlinkSync(join(repository, "node_modules"), join(tree, "node_modules"), "dir");
    // One file per forbidden import, beside imports that are allowed: registry.ts, main.ts and
    // local/ importing functions, a use case importing its ports.
    const files: Record<string, string> = {
      "shared/domain/rule.ts": `export const rule = 1;\n`,
      "shared/domain/uses-azure.ts": `import { TableClient } from "@azure/data-tables";\nexport const client = TableClient;\n`,
      "shared/domain/reads-files.ts": `import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n`,
      "shared/domain/uses-storage.ts": `import { adapter } from "../storage/adapter.js";\nexport const a = adapter;\n`,
      "shared/storage/adapter.ts": `import { rule } from "../domain/rule.js";\nexport const adapter = rule;\n`,
      "shared/usecases/ports.ts": `export interface Port { read(): number }\n`,
      "shared/usecases/use-case.ts": `import type { Port } from "./ports.js";\nexport const useCase = (port: Port) => port.read();\n`,
      "shared/usecases/uses-adapter.ts": `import { adapter } from "../storage/adapter.js";\nexport const other = adapter;\n`,
      "shared/uses-local.ts": `import { tool } from "../local/tool.js";\nexport const t = tool;\n`,
      "shared/cycle-a.ts": `import { b } from "./cycle-b.js";\nexport const a = () => b;\n`,
      "shared/cycle-b.ts": `import { a } from "./cycle-a.js";\nexport const b = () => a;\n`,
      "shared/types-a.ts": `import type { B } from "./types-b.js";\nexport interface A { b?: B }\n`,
      "shared/types-b.ts": `import type { A } from "./types-a.js";\nexport interface B { a?: A }\n`,
      "functions/some-function.ts": `import { useCase } from "../shared/usecases/use-case.js";\nexport const f = useCase;\n`,
      "functions/reads-storage.ts": `import { adapter } from "../shared/storage/adapter.js";\nexport const g = adapter;\n`,
      "functions/registry.ts": `import { f } from "./some-function.js";\nexport const functions = [f];\n`,
      "functions/main.ts": `import { functions } from "./registry.js";\nexport const all = functions;\n`,
      "local/tool.ts": `import { functions } from "../functions/registry.js";\nexport const tool = functions;\n`,
      "bench/uses-function.ts": `import { f } from "../functions/some-function.js";\nexport const h = f;\n`,
      "console/src/uses-domain.ts": `import { rule } from "../../shared/domain/rule.js";\nexport const i = rule;\n`,
      "console/src/uses-storage.ts": `import { adapter } from "../../shared/storage/adapter.js";\nexport const j = adapter;\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  });
  afterAll(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it("catch each forbidden import, and only those", async () => {
    const found = await violations(tree, ["shared", "functions", "local", "bench", "console"]);
    const named = found.map((line) => line.replace(/→ .*node_modules\/(@azure\/[^/]+)\/.*$/, "→ $1"));
    expect(named.sort()).toEqual(
      [
        "domain-imports-no-azure-sdk: shared/domain/uses-azure.ts → @azure/data-tables",
        "domain-does-no-node-io: shared/domain/reads-files.ts → fs",
        "domain-imports-only-domain: shared/domain/uses-storage.ts → shared/storage/adapter.ts",
        "shared-does-not-import-functions-local-test-or-bench: shared/uses-local.ts → local/tool.ts",
        "functions-call-use-cases-not-storage: functions/reads-storage.ts → shared/storage/adapter.ts",
        "only-the-registry-and-hosts-import-functions: bench/uses-function.ts → functions/some-function.ts",
        "no-circular-dependencies-in-shared: shared/cycle-a.ts → shared/cycle-b.ts",
        "no-circular-dependencies-in-shared: shared/types-a.ts → shared/types-b.ts",
        "use-cases-depend-on-ports-not-adapters: shared/usecases/uses-adapter.ts → shared/storage/adapter.ts",
        "console-imports-only-the-domain: console/src/uses-storage.ts → shared/storage/adapter.ts",
      ].sort(),
    );
  }, 60_000);
});

describe("the rules on concurrency and steps", () => {
  let tree = "";
  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), "layers-concurrency-"));
    symlinkSync(join(repository, "node_modules"), join(tree, "node_modules"), "dir");
    const files: Record<string, string> = {
      "shared/domain/rule.ts": `export const rule = 1;\n`,
      "shared/storage/adapter.ts": `import { rule } from "../domain/rule.js";\nexport const adapter = rule;\n`,
      "shared/usecases/ports.ts": `export class Conflict extends Error {}\n`,
      "shared/usecases/operation.ts": `import { retry } from "../concurrency/retry.js";\nexport const op = retry;\n`,
      "shared/concurrency/retry.ts": `import { Conflict } from "../usecases/ports.js";\nimport { rule } from "../domain/rule.js";\nexport const retry = [Conflict, rule];\n`,
      "shared/concurrency/uses-adapter.ts": `import { adapter } from "../storage/adapter.js";\nexport const a = adapter;\n`,
      "shared/concurrency/uses-operation.ts": `import { op } from "../usecases/operation.js";\nexport const b = op;\n`,
      "shared/usecases/steps/step.ts": `import { rule } from "../../domain/rule.js";\nexport const step = rule;\n`,
      "shared/usecases/uses-step.ts": `import { step } from "./steps/step.js";\nexport const c = step;\n`,
      "functions/uses-step.ts": `import { step } from "../shared/usecases/steps/step.js";\nexport const d = step;\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    }
  });
  afterAll(() => {
    if (tree) rmSync(tree, { recursive: true, force: true });
  });

  it("let a mechanism import only the domain and the ports, and only use cases import a step", async () => {
    expect((await violations(tree, ["shared", "functions"])).sort()).toEqual([
      "concurrency-imports-only-domain-and-ports: shared/concurrency/uses-adapter.ts → shared/storage/adapter.ts",
      "concurrency-imports-only-domain-and-ports: shared/concurrency/uses-operation.ts → shared/usecases/operation.ts",
      "only-use-cases-import-steps: functions/uses-step.ts → shared/usecases/steps/step.ts",
    ]);
  }, 60_000);
});
