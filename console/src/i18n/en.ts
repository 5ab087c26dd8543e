// The console's words in English. This catalog defines the keys: the other languages' catalogs are
// typed (./catalog.ts) to have exactly these. `{{name}}` is filled in; `_one`/`_other` are plurals
// chosen by `count`; `{{value, number}}` and `{{value, datetime}}` go through Intl in the language.
export const en = {
  app: {
    productName: "License Manager",
    navigation: "Admin center",
    organizationFallback: "Your organization",
    noRole: "no administrator role",
    signOut: "Sign out",
    language: "Language",
    tokenRefused: "The service did not accept that token (401): sign in again.",
    navLicenses: "Licenses",
    navUsers: "Users",
    navGroups: "Groups",
    navBulk: "Bulk",
  },
  roles: {
    GlobalAdministrator: "Global Administrator",
    BillingAdministrator: "Billing Administrator",
    UserAdministrator: "User Administrator",
    LicenseAdministrator: "License Administrator",
    ServiceAdministrator: "Service Support Administrator",
    PasswordAdministrator: "Password Administrator",
    GroupsAdministrator: "Groups Administrator",
  },
  problems: {
    CountViolation: "Not enough licenses available. Buy more licenses or unassign some first.",
    CountViolationItems:
      "Not enough licenses available: {{items}}. Buy more licenses or unassign some first.",
    CountViolationItem: "{{product}} needs {{missing, number}} more ({{available, number}} available)",
    MutuallyExclusiveViolation:
      "Two services of these licenses cannot both be on for one user. Switch one of them off, or assign only one of the licenses.",
    MutuallyExclusiveViolationItem:
      "{{plan}} (in {{product}}) and {{otherPlan}} (in {{otherProduct}}) cannot both be on for one user. Switch one of them off, or assign only one of the licenses.",
    DependencyViolation: "A service needs another service that is switched off or missing.",
    DependencyViolationItem:
      "{{plan}} (in {{product}}) needs {{needed}} switched on. Keep it on, or switch {{plan}} off too.",
    InvalidUsageLocation:
      "The user has no usage location and the organization has no default country: set the user's usage location, then assign again.",
    InvalidUsageLocationItem:
      "{{user}} has no usage location and the organization has no default country: set the user's usage location, then assign again.",
    ProhibitedInUsageLocationViolation:
      "A service of this license is not sold in the user's usage location: change the usage location, or switch the service off.",
    ProhibitedInUsageLocationViolationItem:
      "{{plan}} in {{product}} is not sold in {{country}}, the usage location of {{user}}. It is sold in {{countries}}: change the user's usage location, or switch the service off.",
    SelfServiceSubscription:
      "These licenses belong to a self-service subscription that a user bought: take the subscription over first.",
    SelfServiceSubscriptionItems:
      "The licenses of {{products}} belong to a self-service subscription that a user bought: take the subscription over first, or buy more licenses.",
    GuestLicenseRequiresGlobalAdministrator: "Only a Global Administrator can give a guest user a license.",
    SeatsBelowAssigned: "There would be fewer licenses than are assigned. Unassign some first, or keep more.",
    SeatsBelowAssignedItem:
      "{{product}} has {{assigned, number}} licenses assigned; this change would leave {{enabled, number}}. Unassign {{short, number}} first, or keep more licenses.",
    OfficeInstallLimit: "Office is already installed on the most devices allowed: remove one first.",
    OfficeInstallLimitItems:
      "Office is already installed on {{count, number}} devices, the most allowed: remove one first.",
    ValidationFailed: "The request was not valid ({{detail}}).",
    UserNameTaken: "A user with this user name already exists: choose another.",
    AlreadyMember: "One of these users is a member of the group already.",
    Conflict: "This cannot be done now ({{detail}}).",
    Forbidden: "Your role does not allow this.",
    NotFound: "Not found: it may have been deleted ({{detail}}).",
    Unauthorized: "Your sign-in has expired or was not accepted: sign in again.",
    PreconditionFailed:
      "Someone else changed this since you opened it, so nothing was changed. Reload and try again.",
    ServiceUnavailable: "The service is unavailable right now. Try again in a few seconds.",
    TooManyRequests: "The service is busy right now. Try again shortly.",
    FailedDependency: "Not done, because a request it depended on failed.",
    PayloadTooLarge: "The request is too large: do it in smaller parts.",
    Internal: "Something went wrong in the service. Try again; if it keeps happening, tell whoever runs it.",
    status: "The service answered {{status}} {{statusText}}.",
    unreachable: "The service could not be reached. Check the connection and try again.",
  },
  common: {
    cancel: "Cancel",
    close: "Close",
    refresh: "Refresh",
    save: "Save",
    delete: "Delete",
    remove: "Remove",
    none: "None",
    list: "{{items, list}}",
    failed: "Failed",
    unknownProduct: "an unknown product",
  },
};
