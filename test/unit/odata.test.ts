// The OData translation (shared/http/odata.ts): each supported $filter form becomes the use case's
// conditions; each unsupported one is refused with a message naming the part.
import { describe, expect, it } from "vitest";
import {
  advancedQueryParts,
  groupConditionsOf,
  orderOf,
  selected,
  selectionOf,
  UnsupportedOData,
  userConditionsOf,
} from "../../shared/http/odata.js";
import { listUsersQuery } from "../../shared/http/request-schemas.js";
import { validate } from "../../shared/http/validation.js";
import { problemFrom } from "../support/problem.js";

const sku = "6fd2c87f-b296-42f0-b197-1e91e994b900";

describe("$filter on users", () => {
  it.each([
    [`assignedLicenses/any(x:x/skuId eq ${sku})`, [{ kind: "holds", skuId: sku }]],
    [`assignedLicenses/any(u: u/skuId eq ${sku.toUpperCase()})`, [{ kind: "holds", skuId: sku }]],
    [
      "userPrincipalName eq 'Adele@Contoso.example'",
      [{ kind: "userPrincipalName", equals: "Adele@Contoso.example" }],
    ],
    ["startswith(displayName,'Ad')", [{ kind: "startsWith", property: "displayName", prefix: "Ad" }]],
    [
      "startswith(userPrincipalName, 'o''b')",
      [{ kind: "startsWith", property: "userPrincipalName", prefix: "o'b" }],
    ],
    ["userType eq 'Guest'", [{ kind: "userType", equals: "Guest" }]],
    ["userType eq 'member'", [{ kind: "userType", equals: "Member" }]],
    ["(userType eq 'Guest')", [{ kind: "userType", equals: "Guest" }]],
    ["assignedLicenses/$count eq 0", [{ kind: "licensed", equals: false }]],
    [
      "assignedLicenses/$count eq 0 and userType eq 'Guest'",
      [
        { kind: "licensed", equals: false },
        { kind: "userType", equals: "Guest" },
      ],
    ],
    [
      `assignedLicenses/any(x:x/skuId eq ${sku}) and (startswith(displayName,'A') and userType eq 'Member')`,
      [
        { kind: "holds", skuId: sku },
        { kind: "startsWith", property: "displayName", prefix: "A" },
        { kind: "userType", equals: "Member" },
      ],
    ],
  ])("reads %s", (text, conditions) => {
    expect(userConditionsOf(text)).toEqual(conditions);
  });

  it.each([
    ["userType eq 'Guest' or userType eq 'Member'", "The operator 'or'", 1],
    ["userType ne 'Guest'", "The operator 'ne'", 1],
    ["endswith(userPrincipalName,'@contoso.example')", "The function endswith", 1],
    ["userType eq 'Guest' and contains(displayName,'a')", "The function contains", 25],
    ["startswith(mail,'a')", "startswith on mail", 1],
    ["accountEnabled eq true", "the property accountEnabled", 1],
    [`assignedLicenses/all(x:x/skuId eq ${sku})`, "The lambda operator 'all'", 1],
    [`assignedPlans/any(x:x/servicePlanId eq ${sku})`, "Filtering on assignedPlans", 1],
    ["assignedLicenses/any(x:x/skuId eq 'abc')", "skuId is compared with a GUID", 35],
    [`assignedLicenses/any(x:x/disabledPlans eq ${sku})`, "comparing anything but x/skuId", 24],
    ["userType eq 'Admin'", "userType is 'Member' or 'Guest'", 13],
    ["userPrincipalName eq 5", "Comparing userPrincipalName with anything but a string", 1],
    ["assignedLicenses/$count eq 1", "Comparing assignedLicenses/$count with anything but 0", 1],
    ["assignedLicenses/$count eq '0'", "Comparing assignedLicenses/$count with anything but 0", 1],
    ["assignedLicenses/$count ne 0", "The operator 'ne'", 1],
    ["assignedPlans/$count eq 0", "The comparison", 1],
  ])("refuses %s, naming the part", (text, named, position) => {
    const error = (() => {
      try {
        userConditionsOf(text);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnsupportedOData);
    expect((error as Error).message).toContain(named);
    expect((error as Error).message).toContain(`(at character ${position})`);
  });

  it.each([
    ["userType eq 'Guest' junk", "at character 20"],
    ["userType eq", "at character 9"],
    ["startsWith(displayName,'a')", "at character 11"],
    ["", "ends too soon"],
  ])("refuses the malformed %j, saying where", (text, where) => {
    expect(() => userConditionsOf(text)).toThrow(where);
  });

  it("refuses deep nesting before parsing it", () => {
    const text = `${"(".repeat(40)}userType eq 'Guest'${")".repeat(40)}`;
    expect(() => userConditionsOf(text)).toThrow("nests parentheses deeper than 16");
  });

  it("reports a refusal as a 400 naming $filter through the query schema", () => {
    const problem = problemFrom(() =>
      validate(listUsersQuery, { $filter: "userType eq 'Guest' or userType eq 'Member'" }, "query"),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.errors?.[0]?.path).toBe("$filter");
    expect(problem.detail).toContain("$filter: The operator 'or'");
  });
});

describe("$filter on groups", () => {
  it("reads startswith on displayName as its prefix, with quotes escaped", () => {
    expect(groupConditionsOf("startswith(displayName,'Sales')")).toEqual({ displayNamePrefix: "Sales" });
    expect(groupConditionsOf("(startswith(displayName,'O''Brien'))")).toEqual({
      displayNamePrefix: "O'Brien",
    });
  });

  it("reads hasMembersWithLicenseErrors eq true, alone or with startswith", () => {
    expect(groupConditionsOf("hasMembersWithLicenseErrors eq true")).toEqual({ withLicenseErrors: true });
    expect(groupConditionsOf("startswith(displayName,'S') and hasMembersWithLicenseErrors eq true")).toEqual({
      displayNamePrefix: "S",
      withLicenseErrors: true,
    });
  });

  it.each([
    ["startswith(mailNickname,'a')", "startswith on mailNickname"],
    ["displayName eq 'a'", "The comparison"],
    ["startswith(displayName,'a') and startswith(displayName,'b')", "More than one startswith"],
    ["hasMembersWithLicenseErrors eq false", "anything but true"],
    ["startswith(displayName,'a') or hasMembersWithLicenseErrors eq true", "The operator 'or'"],
    ["not startswith(displayName,'a')", "The operator 'not'"],
    ["contains(displayName,'a')", "The function contains"],
    ["startswith(displayName,1)", "anything but a string"],
  ])("refuses %s, naming the part", (filter, part) => {
    expect(() => groupConditionsOf(filter)).toThrow(UnsupportedOData);
    expect(() => groupConditionsOf(filter)).toThrow(part);
  });
});

describe("$select", () => {
  const allowed = ["id", "displayName", "userPrincipalName", "assignedLicenses"];

  it("names properties in their own case, whatever case they were asked in", () => {
    expect(selectionOf("displayName,USERPRINCIPALNAME", allowed)).toEqual([
      "displayName",
      "userPrincipalName",
    ]);
    expect(selectionOf("*", allowed)).toEqual(allowed);
  });

  it("refuses an unknown property or a path, naming it", () => {
    expect(() => selectionOf("displayName,mail", allowed)).toThrow(
      `"mail" (at character 13) is not a property`,
    );
    expect(() => selectionOf("manager/displayName", allowed)).toThrow(`"manager/displayName"`);
    expect(() => selectionOf("displayName,", allowed)).toThrow("cannot be read");
  });

  it("keeps the selected fields and always id", () => {
    const user = { id: "1", displayName: "A", userPrincipalName: "a@b.c", assignedLicenses: [] };
    expect(selected(user, ["displayName"])).toEqual({ id: "1", displayName: "A" });
    expect(selected(user, undefined)).toBe(user);
  });

  it("validates $top and $count through the query schema", () => {
    expect(validate(listUsersQuery, { $top: "5", $count: "true" }, "query")).toMatchObject({
      $top: 5,
      $count: true,
    });
    expect(problemFrom(() => validate(listUsersQuery, { $top: "1000" }, "query")).errors?.[0]?.path).toBe(
      "$top",
    );
    expect(problemFrom(() => validate(listUsersQuery, { $expand: "manager" }, "query")).detail).toContain(
      "$expand",
    );
  });
});

describe("$orderby on users", () => {
  it.each([
    ["displayName", { property: "displayName", direction: "asc" }],
    ["displayName asc", { property: "displayName", direction: "asc" }],
    ["displayName desc", { property: "displayName", direction: "desc" }],
    ["userPrincipalName", { property: "userPrincipalName", direction: "asc" }],
    ["userPrincipalName desc", { property: "userPrincipalName", direction: "desc" }],
  ])("reads %s", (text, order) => {
    expect(orderOf(text)).toEqual(order);
  });

  it.each([
    ["mail", `Ordering by "mail"`],
    ["displayName,userPrincipalName", `more than one property ("userPrincipalName" at character 13)`],
    ["displayName sideways", "is not a property followed by asc or desc"],
    ["tolower(displayName)", `Ordering by "tolower(displayName)"`],
    ["manager/displayName", `Ordering by "manager/displayName"`],
  ])("refuses %s, naming the part", (text, named) => {
    expect(() => orderOf(text)).toThrow(UnsupportedOData);
    expect(() => orderOf(text)).toThrow(named);
    expect(() => orderOf(text)).toThrow("displayName or userPrincipalName");
  });

  it("takes $orderby and licenseErrors through the query schema, and refuses them at their names", () => {
    expect(
      validate(listUsersQuery, { $orderby: "userPrincipalName desc", licenseErrors: "true" }, "query"),
    ).toMatchObject({
      $orderby: { property: "userPrincipalName", direction: "desc" },
      licenseErrors: true,
    });
    const order = problemFrom(() => validate(listUsersQuery, { $orderby: "createdDateTime" }, "query"));
    expect(order.errors?.[0]?.path).toBe("$orderby");
    expect(order.detail).toContain(`Ordering by "createdDateTime"`);
    const errors = problemFrom(() => validate(listUsersQuery, { licenseErrors: "yes" }, "query"));
    expect(errors.errors?.[0]?.path).toBe("licenseErrors");
  });
});

describe("advanced queries", () => {
  const byName = { property: "displayName", direction: "asc" } as const;

  it("needs ConsistencyLevel for $count, assignedLicenses/$count and $orderby with a filter, as Graph", () => {
    expect(advancedQueryParts({}, {})).toEqual([]);
    expect(advancedQueryParts({}, { orderBy: byName })).toEqual([]);
    expect(advancedQueryParts({ deleted: false }, { orderBy: byName })).toEqual([]);
    expect(advancedQueryParts({}, { $count: true })).toEqual(["$count=true"]);
    expect(advancedQueryParts({ where: [{ kind: "licensed", equals: false }] }, {})).toEqual([
      "assignedLicenses/$count in $filter",
    ]);
    for (const filter of [
      { licensed: false },
      { deleted: true },
      { licenseErrors: true },
      { needsLicense: false },
      { skuId: "6fd2c87f-b296-42f0-b197-1e91e994b900" },
      { where: [{ kind: "userType", equals: "Guest" } as const] },
    ]) {
      expect(advancedQueryParts(filter, { orderBy: byName }), JSON.stringify(filter)).toEqual([
        "$orderby with a filter",
      ]);
    }
  });
});
