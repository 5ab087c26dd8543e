// Konsollens ord på dansk, med administrationscentrets egne udtryk (Licenser, Aktive brugere, Tildel
// licenser, Produktlicenser …). Nøglerne er præcis det engelske katalogs (./catalog.ts).
import type { Catalog } from "./catalog.js";

export const da: Catalog = {
  app: {
    productName: "Licensstyring",
    navigation: "Administration",
    organizationFallback: "Din organisation",
    noRole: "ingen administratorrolle",
    signOut: "Log af",
    language: "Sprog",
    tokenRefused: "Tjenesten accepterede ikke det token (401): log på igen.",
    navLicenses: "Licenser",
    navUsers: "Aktive brugere",
    navGroups: "Grupper",
    navBulk: "Massehandlinger",
  },
  roles: {
    GlobalAdministrator: "Global administrator",
    BillingAdministrator: "Faktureringsadministrator",
    UserAdministrator: "Brugeradministrator",
    LicenseAdministrator: "Licensadministrator",
    ServiceAdministrator: "Tjenestesupportadministrator",
    PasswordAdministrator: "Adgangskodeadministrator",
    GroupsAdministrator: "Gruppeadministrator",
  },
  problems: {
    CountViolation:
      "Der er ikke nok ledige licenser. Køb flere licenser, eller fjern nogle tildelinger først.",
    CountViolationItems:
      "Der er ikke nok ledige licenser: {{items}}. Køb flere licenser, eller fjern nogle tildelinger først.",
    CountViolationItem: "{{product}} mangler {{missing, number}} ({{available, number}} ledige)",
    MutuallyExclusiveViolation:
      "To tjenester i disse licenser kan ikke være slået til samtidig for én bruger. Slå en af dem fra, eller tildel kun en af licenserne.",
    MutuallyExclusiveViolationItem:
      "{{plan}} (i {{product}}) og {{otherPlan}} (i {{otherProduct}}) kan ikke være slået til samtidig for én bruger. Slå en af dem fra, eller tildel kun en af licenserne.",
    DependencyViolation: "En tjeneste kræver en anden tjeneste, der er slået fra eller mangler.",
    DependencyViolationItem:
      "{{plan}} (i {{product}}) kræver, at {{needed}} er slået til. Lad den være slået til, eller slå også {{plan}} fra.",
    InvalidUsageLocation:
      "Brugeren har ingen anvendelsesplacering, og organisationen har intet standardland: angiv brugerens anvendelsesplacering, og tildel så igen.",
    InvalidUsageLocationItem:
      "{{user}} har ingen anvendelsesplacering, og organisationen har intet standardland: angiv brugerens anvendelsesplacering, og tildel så igen.",
    ProhibitedInUsageLocationViolation:
      "En tjeneste i licensen sælges ikke i brugerens anvendelsesplacering: skift anvendelsesplacering, eller slå tjenesten fra.",
    ProhibitedInUsageLocationViolationItem:
      "{{plan}} i {{product}} sælges ikke i {{country}}, anvendelsesplaceringen for {{user}}. Den sælges i {{countries}}: skift brugerens anvendelsesplacering, eller slå tjenesten fra.",
    SelfServiceSubscription:
      "Licenserne hører til et selvbetjeningsabonnement, som en bruger har købt: overtag abonnementet først.",
    SelfServiceSubscriptionItems:
      "Licenserne til {{products}} hører til et selvbetjeningsabonnement, som en bruger har købt: overtag abonnementet først, eller køb flere licenser.",
    GuestLicenseRequiresGlobalAdministrator: "Kun en global administrator kan give en gæstebruger en licens.",
    SeatsBelowAssigned:
      "Der ville blive færre licenser, end der er tildelt. Fjern nogle tildelinger først, eller behold flere.",
    SeatsBelowAssignedItem:
      "{{product}} har {{assigned, number}} tildelte licenser; ændringen ville efterlade {{enabled, number}}. Fjern {{short, number}} tildelinger først, eller behold flere licenser.",
    OfficeInstallLimit:
      "Office er allerede installeret på så mange enheder, som det er tilladt: fjern en først.",
    OfficeInstallLimitItems:
      "Office er allerede installeret på {{count, number}} enheder, så mange som tilladt: fjern en først.",
    ValidationFailed: "Anmodningen var ikke gyldig ({{detail}}).",
    UserNameTaken: "Der findes allerede en bruger med dette brugernavn: vælg et andet.",
    AlreadyMember: "En af disse brugere er allerede medlem af gruppen.",
    Conflict: "Det kan ikke gøres lige nu ({{detail}}).",
    Forbidden: "Din rolle tillader ikke dette.",
    NotFound: "Ikke fundet: den kan være slettet ({{detail}}).",
    Unauthorized: "Dit logon er udløbet eller blev ikke accepteret: log på igen.",
    PreconditionFailed:
      "En anden har ændret dette, siden du åbnede det, så intet blev ændret. Indlæs igen, og prøv igen.",
    ServiceUnavailable: "Tjenesten er ikke tilgængelig lige nu. Prøv igen om et par sekunder.",
    TooManyRequests: "Tjenesten er optaget lige nu. Prøv igen om lidt.",
    FailedDependency: "Ikke udført, fordi en anmodning, den afhang af, mislykkedes.",
    PayloadTooLarge: "Anmodningen er for stor: gør det i mindre dele.",
    Internal:
      "Noget gik galt i tjenesten. Prøv igen; hvis det bliver ved, så kontakt dem, der driver tjenesten.",
    status: "Tjenesten svarede {{status}} {{statusText}}.",
    unreachable: "Tjenesten kunne ikke nås. Kontrollér forbindelsen, og prøv igen.",
  },
  common: {
    cancel: "Annuller",
    close: "Luk",
    refresh: "Opdater",
    save: "Gem",
    delete: "Slet",
    remove: "Fjern",
    none: "Ingen",
    list: "{{items, list}}",
    failed: "Mislykkedes",
    unknownProduct: "et ukendt produkt",
  },
};
