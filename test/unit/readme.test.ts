// The README documents what the code does: its settings table is the one rendered from the schema.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withSettingsTable } from "../../local/settings-table.js";
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
});
