// The README and the docs/ pages document what the code does: the API table of docs/api.md lists the
// routes of shared/http/routes.ts, the settings table of docs/configuration.md is the one rendered from
// the schema, and every link between the pages (and every docs/ page the code names) leads somewhere.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { settingsPage, withSettingsTable } from "../../local/settings-table.js";
import type { RouteSpec } from "../../shared/http/route.js";
import { routes } from "../../shared/http/routes.js";

const apiPage = readFileSync("docs/api.md", "utf8");

describe("the settings table (docs/configuration.md)", () => {
  it("lists exactly the settings of shared/config.ts (run `npm run docs` after changing them)", () => {
    const page = readFileSync(settingsPage, "utf8");
    expect(page).toBe(withSettingsTable(page));
  });
});

describe("the API table (docs/api.md)", () => {
  it("mentions every route of the API", () => {
    for (const route of Object.values(routes)) {
      const path = `/api/${route.route.replace(/\{(\w+)(:\w+)?\}/g, "{$1}")}`;
      expect(apiPage, `${route.method} ${path}`).toContain(`${route.method} ${path}`);
    }
  });

  // The API table's rows: | `METHOD /api/path` | who | what |
  const rows = new Map(
    [...apiPage.matchAll(/^\| `(GET|POST|PATCH|DELETE) (\/api\/[^`]*)` \| ([^|]+) \| (.*) \|$/gm)].map(
      (match) => [`${match[1]} ${match[2]}`, { who: match[3]?.trim(), what: match[4] ?? "" }],
    ),
  );
  const allRoutes: readonly RouteSpec[] = Object.values(routes);
  const keyOf = (route: RouteSpec) =>
    `${route.method} /api/${route.route.replace(/\{(\w+)(:\w+)?\}/g, "{$1}")}`;
  const who = {
    public: "anyone",
    authenticated: "any token",
    readLicenses: "readers",
    assignLicenses: "assigners",
    buyLicenses: "buyers",
    manageUsers: "user admins",
    deleteUsers: "user admins",
    licenseGuests: "Global administrators",
    readGroups: "group readers",
    manageGroups: "group admins",
    manageOrganization: "Global administrators",
  } as const;

  it("has one API table row per route, and none for a route that does not exist", () => {
    expect([...rows.keys()].sort()).toEqual(allRoutes.map(keyOf).sort());
  });

  it("names in each row who may call the route, and only success statuses the route answers", () => {
    for (const route of allRoutes) {
      const row = rows.get(keyOf(route));
      expect(row?.who, keyOf(route)).toBe(who[route.right]);
      const successes = Object.keys(route.responses).filter((status) => status.startsWith("2"));
      const said = [...(row?.what ?? "").matchAll(/\b(20\d)\b/g)].map((match) => match[1]);
      for (const status of said) expect(successes, `${keyOf(route)} says ${status}`).toContain(status);
      for (const status of successes.filter((code) => code !== "200"))
        expect(said, `${keyOf(route)} answers ${status}`).toContain(status);
    }
  });
});

const docsPages = readdirSync("docs")
  .filter((name) => name.endsWith(".md"))
  .map((name) => `docs/${name}`);

/** The text of a Markdown file outside its fenced code blocks. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(file: string): Set<string> {
  const headings = prose(readFileSync(file, "utf8")).matchAll(/^#{1,6} (.+)$/gm);
  return new Set([...headings].map((match) => anchorOf(match[1] ?? "")));
}

describe("the links of README.md and docs/", () => {
  it("lead to a file that exists, and to a heading it has", () => {
    const broken: string[] = [];
    for (const file of ["README.md", ...docsPages]) {
      for (const match of prose(readFileSync(file, "utf8")).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1] ?? "";
        if (/^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
        const [path = "", anchor] = target.split("#");
        const linked = path === "" ? file : join(dirname(file), path);
        if (!existsSync(linked)) broken.push(`${file}: ${target} (no ${linked})`);
        else if (anchor !== undefined && !anchorsOf(linked).has(anchor))
          broken.push(`${file}: ${target} (${linked} has no heading #${anchor})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("include, in the README's map, every page of docs/", () => {
    const readme = readFileSync("README.md", "utf8");
    for (const page of docsPages) expect(readme, page).toContain(`](${page})`);
  });

  it("include every docs/ page the code and the tests name", () => {
    const named = new Set<string>();
    const read = (file: string): void => {
      for (const match of readFileSync(file, "utf8").matchAll(/\bdocs\/[\w-]+\.md\b/g)) named.add(match[0]);
    };
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.(ts|tsx|cjs|mjs)$/.test(entry.name)) read(path);
      }
    };
    for (const dir of ["shared", "functions", "local", "console/src", "test", "bench"]) walk(dir);
    read(".dependency-cruiser.cjs");
    expect(named.size).toBeGreaterThan(0);
    expect([...named].filter((page) => !existsSync(page))).toEqual([]);
  });
});
