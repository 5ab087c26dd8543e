// Who may do what (R22, R23, R13): the rights behind each role name of the token's `roles` claim.
import { describe, expect, it } from "vitest";
import { hasRight, isRole, type Right, type Role, roleNames, rolesWith } from "../../shared/domain/roles.js";

// R22's table; assign and unassign are one right (assignLicenses).
const r22: readonly [Role, { assign: boolean; buy: boolean; delete: boolean }][] = [
  ["GlobalAdministrator", { assign: true, buy: true, delete: true }],
  ["BillingAdministrator", { assign: false, buy: true, delete: false }],
  ["UserAdministrator", { assign: true, buy: false, delete: true }],
  ["ServiceAdministrator", { assign: false, buy: false, delete: false }],
  ["PasswordAdministrator", { assign: false, buy: false, delete: false }],
  // Not in R22: the service's license administrator assigns and unassigns only (the role table of docs/api.md).
  ["LicenseAdministrator", { assign: true, buy: false, delete: false }],
  // Not in R22: Entra ID's Groups Administrator manages groups only (issue 19).
  ["GroupsAdministrator", { assign: false, buy: false, delete: false }],
];

describe("rights per role (R22)", () => {
  it.each(r22)("gives %s the assign, unassign, buy and delete rights of the table", (role, expected) => {
    expect(hasRight([role], "assignLicenses"), "assign / unassign").toBe(expected.assign);
    expect(hasRight([role], "buyLicenses"), "buy licenses").toBe(expected.buy);
    expect(hasRight([role], "deleteUsers"), "delete user").toBe(expected.delete);
  });

  it("covers every role name in the table", () => {
    expect(r22.map(([role]) => role).sort()).toEqual([...roleNames].sort());
  });

  it("lets only Global and User administrators create users", () => {
    expect(rolesWith("manageUsers").sort()).toEqual(["GlobalAdministrator", "UserAdministrator"]);
  });

  it("lets only a Global Administrator license a guest (R13)", () => {
    expect(rolesWith("licenseGuests")).toEqual(["GlobalAdministrator"]);
  });

  it("gives the License Administrator assigning and reading only", () => {
    const rights: Right[] = [
      "readLicenses",
      "assignLicenses",
      "buyLicenses",
      "manageUsers",
      "deleteUsers",
      "licenseGuests",
    ];
    expect(rights.filter((right) => hasRight(["LicenseAdministrator"], right))).toEqual([
      "readLicenses",
      "assignLicenses",
    ]);
  });
});

describe("reading licenses (R23)", () => {
  it.each<[Role, boolean]>([
    ["GlobalAdministrator", true],
    ["BillingAdministrator", true],
    ["UserAdministrator", true],
    ["LicenseAdministrator", true],
    ["ServiceAdministrator", false],
    ["PasswordAdministrator", false],
    ["GroupsAdministrator", false],
  ])("gives %s read access: %s", (role, canRead) => {
    expect(hasRight([role], "readLicenses")).toBe(canRead);
  });

  it("gives Service and Password administrators no right at all", () => {
    const rights: Right[] = [
      "readLicenses",
      "assignLicenses",
      "buyLicenses",
      "manageUsers",
      "deleteUsers",
      "licenseGuests",
    ];
    for (const right of rights) {
      expect(hasRight(["ServiceAdministrator", "PasswordAdministrator"], right), right).toBe(false);
    }
  });
});

describe("groups (issue 19)", () => {
  it("lets Global, License, User and Groups administrators manage groups", () => {
    expect(rolesWith("manageGroups").sort()).toEqual([
      "GlobalAdministrator",
      "GroupsAdministrator",
      "LicenseAdministrator",
      "UserAdministrator",
    ]);
  });

  it("lets every reader and the Groups Administrator read groups", () => {
    expect(rolesWith("readGroups").sort()).toEqual(
      [...rolesWith("readLicenses"), "GroupsAdministrator"].sort(),
    );
  });
});

describe("several roles", () => {
  it("grants a right when any of the caller's roles holds it", () => {
    expect(hasRight(["PasswordAdministrator", "BillingAdministrator"], "buyLicenses")).toBe(true);
    expect(hasRight(["BillingAdministrator", "LicenseAdministrator"], "assignLicenses")).toBe(true);
    expect(hasRight(["BillingAdministrator", "LicenseAdministrator"], "deleteUsers")).toBe(false);
  });

  it("grants nothing to a caller without roles", () => {
    expect(hasRight([], "readLicenses")).toBe(false);
  });
});

describe("isRole", () => {
  it.each([...roleNames])("recognises %s", (name) => {
    expect(isRole(name)).toBe(true);
  });

  it.each(["globaladministrator", "Global Administrator", "Admin", "", "toString", "constructor"])(
    "rejects %j",
    (name) => {
      expect(isRole(name)).toBe(false);
    },
  );
});
