// The console's API client is typed from the OpenAPI document: a route or schema change that is not
// regenerated into console/src/api/schema.d.ts fails here (and the console's typecheck then says
// which calls the change breaks).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { consoleApiTypesPath, renderConsoleApiTypes } from "../../local/console-api-types.js";

describe("the console's API types", () => {
  it("are those generated from the current OpenAPI document (run `npm run console:api`)", async () => {
    const committed = readFileSync(consoleApiTypesPath, "utf8");
    expect(committed === (await renderConsoleApiTypes()), `${consoleApiTypesPath} is stale`).toBe(true);
  });
});
