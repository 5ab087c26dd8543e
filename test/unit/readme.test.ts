// The README documents what the code does: its settings table is the one rendered from the schema.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withSettingsTable } from "../../local/settings-table.js";
import type { RouteSpec } from "../../shared/http/route.js";
import { routes } from "../../shared/http/routes.js";

const readme = readFileSync("README.md", "utf8");

describe("the README", () => {
  it("lists exactly the settings of shared/config.ts (run `npm run docs` after changing them)", () => {
    expect(readme).toBe(withSettingsTable(readme));
  });

  it("mentions every route of the API", () => {
    for (const route of Object.values(routes)) {
      const path = `/api/${route.route.replace(/\{(\w+)(:\w+)?\}/g, "{$1}")}`;
      expect(readme, `${route.method} ${path}`).toContain(`${route.method} ${path}`);
    }
  });

  // The API table's rows: | `METHOD /api/path` | who | what |
  const rows = new Map(
    [...readme.matchAll(/^\| `(GET|POST|PATCH|DELETE) (\/api\/[^`]*)` \| ([^|]+) \| (.*) \|$/gm)].map(
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
