// Konsollens ord på norsk bokmål, med administrasjonssenterets egne ord (Lisenser, Aktive brukere,
// Tilordne lisenser, Lisenser og apper …). Nøklene er nøyaktig den engelske katalogens (./catalog.ts).
import type { Catalog } from "./catalog.js";

export const nb: Catalog = {
  app: {
    productName: "Lisensbehandling",
    navigation: "Administrasjonssenter",
    organizationFallback: "Organisasjonen din",
    noRole: "ingen administratorrolle",
    signOut: "Logg av",
    language: "Språk",
    tokenRefused: "Tjenesten godtok ikke det tokenet (401): logg på igjen.",
    navLicenses: "Lisenser",
    navUsers: "Aktive brukere",
    navGroups: "Grupper",
    navBulk: "Massehandlinger",
  },
  roles: {
    GlobalAdministrator: "Global administrator",
    BillingAdministrator: "Faktureringsadministrator",
    UserAdministrator: "Brukeradministrator",
    LicenseAdministrator: "Lisensadministrator",
    ServiceAdministrator: "Tjenestestøtteadministrator",
    PasswordAdministrator: "Passordadministrator",
    GroupsAdministrator: "Gruppeadministrator",
  },
  problems: {
    CountViolation:
      "Det er ikke nok tilgjengelige lisenser. Kjøp flere lisenser, eller opphev noen tilordninger først.",
    CountViolationItems:
      "Det er ikke nok tilgjengelige lisenser: {{items}}. Kjøp flere lisenser, eller opphev noen tilordninger først.",
    CountViolationItem: "{{product}} trenger {{missing, number}} til ({{available, number}} tilgjengelige)",
    MutuallyExclusiveViolation:
      "To tjenester i disse lisensene kan ikke være på samtidig for én bruker. Slå av en av dem, eller tilordne bare én av lisensene.",
    MutuallyExclusiveViolationItem:
      "{{plan}} (i {{product}}) og {{otherPlan}} (i {{otherProduct}}) kan ikke være på samtidig for én bruker. Slå av en av dem, eller tilordne bare én av lisensene.",
    DependencyViolation: "En tjeneste trenger en annen tjeneste som er slått av eller mangler.",
    DependencyViolationItem:
      "{{plan}} (i {{product}}) trenger at {{needed}} er slått på. La den være på, eller slå av {{plan}} også.",
    InvalidUsageLocation:
      "Brukeren har ingen bruksplassering, og organisasjonen har ikke noe standardland: angi brukerens bruksplassering, og tilordne på nytt.",
    InvalidUsageLocationItem:
      "{{user}} har ingen bruksplassering, og organisasjonen har ikke noe standardland: angi brukerens bruksplassering, og tilordne på nytt.",
    ProhibitedInUsageLocationViolation:
      "En tjeneste i lisensen selges ikke i brukerens bruksplassering: endre bruksplasseringen, eller slå av tjenesten.",
    ProhibitedInUsageLocationViolationItem:
      "{{plan}} i {{product}} selges ikke i {{country}}, bruksplasseringen til {{user}}. Den selges i {{countries}}: endre brukerens bruksplassering, eller slå av tjenesten.",
    SelfServiceSubscription:
      "Lisensene hører til et selvbetjent kjøpsabonnement som en bruker har kjøpt: overta abonnementet først.",
    SelfServiceSubscriptionItems:
      "Lisensene for {{products}} hører til et selvbetjent kjøpsabonnement som en bruker har kjøpt: overta abonnementet først, eller kjøp flere lisenser.",
    GuestLicenseRequiresGlobalAdministrator: "Bare en global administrator kan gi en gjestebruker en lisens.",
    SeatsBelowAssigned:
      "Det ville bli færre lisenser enn det er tilordnet. Opphev noen tilordninger først, eller behold flere.",
    SeatsBelowAssignedItem:
      "{{product}} har {{assigned, number}} tilordnede lisenser; endringen ville etterlate {{enabled, number}}. Opphev {{short, number}} tilordninger først, eller behold flere lisenser.",
    OfficeInstallLimit: "Office er allerede installert på så mange enheter som tillatt: fjern én først.",
    OfficeInstallLimitItems:
      "Office er allerede installert på {{count, number}} enheter, så mange som tillatt: fjern én først.",
    ValidationFailed: "Forespørselen var ikke gyldig ({{detail}}).",
    UserNameTaken: "Det finnes allerede en bruker med dette brukernavnet: velg et annet.",
    AlreadyMember: "En av disse brukerne er allerede medlem av gruppen.",
    Conflict: "Det kan ikke gjøres akkurat nå ({{detail}}).",
    Forbidden: "Rollen din tillater ikke dette.",
    NotFound: "Ikke funnet: den kan være slettet ({{detail}}).",
    Unauthorized: "Påloggingen din har utløpt eller ble ikke godtatt: logg på igjen.",
    PreconditionFailed:
      "Noen andre har endret dette siden du åpnet det, så ingenting ble endret. Last inn på nytt, og prøv igjen.",
    ServiceUnavailable: "Tjenesten er ikke tilgjengelig akkurat nå. Prøv igjen om noen sekunder.",
    TooManyRequests: "Tjenesten er opptatt akkurat nå. Prøv igjen om litt.",
    FailedDependency: "Ikke utført, fordi en forespørsel den var avhengig av, mislyktes.",
    PayloadTooLarge: "Forespørselen er for stor: gjør det i mindre deler.",
    Internal:
      "Noe gikk galt i tjenesten. Prøv igjen; hvis det fortsetter, kontakt dem som drifter tjenesten.",
    status: "Tjenesten svarte {{status}} {{statusText}}.",
    unreachable: "Tjenesten kunne ikke nås. Kontroller tilkoblingen, og prøv igjen.",
  },
  common: {
    cancel: "Avbryt",
    close: "Lukk",
    refresh: "Oppdater",
    save: "Lagre",
    delete: "Slett",
    remove: "Fjern",
    none: "Ingen",
    list: "{{items, list}}",
    failed: "Mislyktes",
    unknownProduct: "et ukjent produkt",
  },
};
