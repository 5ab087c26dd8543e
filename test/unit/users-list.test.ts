// The console's Users list, pure: a search's two queries merged in the list's order (a row shown never
// has an earlier one still to come), and the CSV it exports (RFC 4180 quoting, a BOM, no formulas).
import { describe, expect, it } from "vitest";
import type { components } from "../../console/src/api/schema.js";
import { csvText, datedFileName } from "../../console/src/components/csv.js";
import {
  type Cursor,
  compareUsers,
  cursorsFor,
  hasMore,
  mergeReady,
  queriesFor,
} from "../../console/src/pages/users-query.js";

type User = components["schemas"]["User"];

const user = (displayName: string, id = displayName.toLowerCase()): User =>
  ({ id, displayName, userPrincipalName: `${id}@contoso.example` }) as User;

const cursor = (pending: User[], skipToken?: string): Cursor => ({
  query: {},
  started: true,
  skipToken,
  pending,
  last: pending.at(-1),
});

const byName = compareUsers({ property: "displayName", direction: "asc" });
const names = (users: readonly User[]) => users.map((u) => u.displayName);

describe("the Users list's merged pages", () => {
  it("shows only what comes before the earliest last row of a query that has more pages", () => {
    const merged = mergeReady(
      [cursor([user("Ada"), user("Cy")], "next"), cursor([user("Bo"), user("Dan")])],
      byName,
    );
    expect(names(merged.ready)).toEqual(["Ada", "Bo", "Cy"]);
    expect(names(merged.cursors[1]?.pending ?? [])).toEqual(["Dan"]);
    expect(hasMore(merged.cursors)).toBe(true);
  });

  it("shows a user both queries found once, and everything when no query has more", () => {
    const bo = user("Bo");
    const merged = mergeReady([cursor([user("Ada"), bo]), cursor([bo, user("Cy")])], byName);
    expect(names(merged.ready)).toEqual(["Ada", "Bo", "Cy"]);
    expect(hasMore(merged.cursors)).toBe(false);
  });

  it("orders as the service does: lower-cased, å with a, ties by id, desc reversed", () => {
    const desc = compareUsers({ property: "displayName", direction: "desc" });
    const users = [user("bo", "2"), user("Åsa", "3"), user("Bo", "1"), user("Cy", "4")];
    expect([...users].sort(byName).map((u) => u.id)).toEqual(["3", "1", "2", "4"]);
    expect([...users].sort(desc).map((u) => u.id)).toEqual(["4", "2", "1", "3"]);
  });

  it("asks two queries for a search, each with the filter's own parameters", () => {
    expect(queriesFor({ search: "O'B", filter: "guests", product: "sku" })).toEqual([
      { skuId: "sku", $filter: "startswith(displayName,'O''B') and userType eq 'Guest'" },
      { skuId: "sku", $filter: "startswith(userPrincipalName,'O''B') and userType eq 'Guest'" },
    ]);
    expect(cursorsFor({ search: "", filter: "licenseErrors" }).map((c) => c.query)).toEqual([
      { licenseErrors: "true" },
    ]);
  });
});

describe("the CSV export", () => {
  it("quotes commas, quotes and line breaks, starts with a BOM, ends lines with CRLF and defuses formulas", () => {
    expect(
      csvText([
        ["Name", "Note"],
        ['Åsa "Ace" Öberg, Jr.', "two\nlines"],
        ["=1+2", "plain"],
      ]),
    ).toBe('\uFEFFName,Note\r\n"Åsa ""Ace"" Öberg, Jr.","two\nlines"\r\n\'=1+2,plain\r\n');
  });

  it("names the file by the local date", () => {
    expect(datedFileName("users", new Date(2026, 11, 6, 23, 59))).toBe("users-2026-12-06.csv");
  });
});
