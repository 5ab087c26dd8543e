// Who may do what (R22, R23): the role names carried in the token's `roles` claim and their rights.

export const roleNames = [
  "GlobalAdministrator",
  "BillingAdministrator",
  "UserAdministrator",
  "LicenseAdministrator",
  "ServiceAdministrator",
  "PasswordAdministrator",
  "GroupsAdministrator",
] as const;

export type Role = (typeof roleNames)[number];

export type Right =
  | "readLicenses" // view products, subscriptions, users and their licenses (R23)
  | "assignLicenses" // assign, unassign and change plans (R7–R11)
  | "buyLicenses" // subscriptions: buy, change seats, take over (R5, R6)
  | "manageUsers" // create users
  | "deleteUsers" // delete and restore users (R20)
  | "licenseGuests" // give a guest user a license (R13)
  | "readGroups" // view security groups and their members
  | "manageGroups" // create, change and delete security groups and their members
  | "manageOrganization"; // the organisation's name and default usage location

const rightsOf: Record<Role, readonly Right[]> = {
  GlobalAdministrator: [
    "readLicenses",
    "assignLicenses",
    "buyLicenses",
    "manageUsers",
    "deleteUsers",
    "licenseGuests",
    "readGroups",
    "manageGroups",
    "manageOrganization",
  ],
  BillingAdministrator: ["readLicenses", "buyLicenses", "readGroups"],
  UserAdministrator: [
    "readLicenses",
    "assignLicenses",
    "manageUsers",
    "deleteUsers",
    "readGroups",
    "manageGroups",
  ],
  LicenseAdministrator: ["readLicenses", "assignLicenses", "readGroups", "manageGroups"],
  ServiceAdministrator: [],
  PasswordAdministrator: [],
  // Entra ID's Groups Administrator: groups and their members, nothing of licenses.
  GroupsAdministrator: ["readGroups", "manageGroups"],
};

export function isRole(value: string): value is Role {
  return (roleNames as readonly string[]).includes(value);
}

export function hasRight(roles: readonly Role[], right: Right): boolean {
  return roles.some((role) => rightsOf[role].includes(right));
}

/** The roles that hold a right, for error messages and the role table of docs/api.md. */
export function rolesWith(right: Right): Role[] {
  return roleNames.filter((role) => rightsOf[role].includes(right));
}
