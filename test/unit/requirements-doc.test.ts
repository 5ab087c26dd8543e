// docs/requirements.md defines the requirement numbers the code cites (R1–R23): every number cited in
// shared/, functions/, local/ and console/src has its section there, every file the page names exists,
// and every test it names is in the test file named before it. So the page cannot drift from the code.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const page = readFileSync("docs/requirements.md", "utf8");

/** Every requirement number a text cites, ranges such as "R18–R20" counting each number in them. */
function citedRequirements(text: string): Set<string> {
  const cited = new Set<string>();
  for (const match of text.matchAll(/\bR(\d+)(?:\s*[–-]\s*R(\d+))?\b/g)) {
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let n = first; n <= last; n++) cited.add(`R${n}`);
  }
  return cited;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|cjs|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The requirements with a section of their own: "### R7. …". */
const sections = new Set([...page.matchAll(/^#{2,3} (R\d+)\. /gm)].map((match) => match[1] ?? ""));

describe("docs/requirements.md", () => {
  it("reads ranges of requirement numbers as every number in them", () => {
    expect([...citedRequirements("(R7–R9, R13) and R18-R20; not R2D2 or HR12")]).toEqual([
      "R7",
      "R8",
      "R9",
      "R13",
      "R18",
      "R19",
      "R20",
    ]);
  });

  it("has a section for every requirement the code cites", () => {
    const cited = new Map<string, string>();
    for (const file of ["shared", "functions", "local", "console/src"].flatMap(sourceFiles))
      for (const id of citedRequirements(readFileSync(file, "utf8"))) if (!cited.has(id)) cited.set(id, file);
    expect(cited.size).toBeGreaterThan(0);
    const missing = [...cited]
      .filter(([id]) => !sections.has(id))
      .map(([id, file]) => `${id} (cited in ${file})`);
    expect(missing).toEqual([]);
  });

  it("says for each requirement where it is implemented and where it is tested", () => {
    const parts = page.split(/^(?=#{2,3} R\d+\. )/m).slice(1);
    expect(parts.length).toBe(sections.size);
    for (const part of parts) {
      const id = part.match(/^#{2,3} (R\d+)/)?.[1];
      expect(part, `${id}: Implemented`).toMatch(/^- Implemented: .*`(shared|functions|console)\//m);
      expect(part, `${id}: Tested`).toMatch(/^ {2}- `test\/[^`]+\.test\.ts`: "/m);
    }
  });

  it("names only files that exist", () => {
    const named = [
      ...page.matchAll(/`((?:shared|functions|local|console|test|bench|infra|examples)\/[^`\s]+)`/g),
    ].map((match) => match[1] ?? "");
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((path) => !existsSync(path))).toEqual([]);
  });

  it("names only tests that are in the file named before them", () => {
    const absent: string[] = [];
    for (const match of page.matchAll(/^ {2}- `(test\/[^`]+)`: (.+)$/gm)) {
      const file = match[1] ?? "";
      const source = existsSync(file) ? readFileSync(file, "utf8") : "";
      for (const name of (match[2] ?? "").matchAll(/"([^"]+)"/g))
        if (!source.includes(`"${name[1]}"`)) absent.push(`${file}: "${name[1]}"`);
    }
    expect(absent).toEqual([]);
  });
});
