// Konsolens ord på svenska, med administrationscentrets egna termer (Licenser, Aktiva användare,
// Tilldela licenser, Licenser och appar …). Nycklarna är exakt den engelska katalogens (./catalog.ts).
import type { Catalog } from "./catalog.js";

export const sv: Catalog = {
  app: {
    productName: "Licenshanteraren",
    navigation: "Administrationscenter",
    organizationFallback: "Din organisation",
    noRole: "ingen administratörsroll",
    signOut: "Logga ut",
    language: "Språk",
    tokenRefused: "Tjänsten godtog inte den token (401): logga in igen.",
    navLicenses: "Licenser",
    navUsers: "Aktiva användare",
    navGroups: "Grupper",
    navBulk: "Massåtgärder",
  },
  roles: {
    GlobalAdministrator: "Global administratör",
    BillingAdministrator: "Faktureringsadministratör",
    UserAdministrator: "Användaradministratör",
    LicenseAdministrator: "Licensadministratör",
    ServiceAdministrator: "Tjänstsupportadministratör",
    PasswordAdministrator: "Lösenordsadministratör",
    GroupsAdministrator: "Gruppadministratör",
  },
  problems: {
    CountViolation:
      "Det finns inte tillräckligt många licenser. Köp fler licenser eller ta bort tilldelningen av några först.",
    CountViolationItems:
      "Det finns inte tillräckligt många licenser: {{items}}. Köp fler licenser eller ta bort tilldelningen av några först.",
    CountViolationItem: "{{product}} behöver {{missing, number}} till ({{available, number}} tillgängliga)",
    MutuallyExclusiveViolation:
      "Två tjänster i de här licenserna kan inte vara på samtidigt för en användare. Stäng av en av dem, eller tilldela bara en av licenserna.",
    MutuallyExclusiveViolationItem:
      "{{plan}} (i {{product}}) och {{otherPlan}} (i {{otherProduct}}) kan inte vara på samtidigt för en användare. Stäng av en av dem, eller tilldela bara en av licenserna.",
    DependencyViolation: "En tjänst behöver en annan tjänst som är avstängd eller saknas.",
    DependencyViolationItem:
      "{{plan}} (i {{product}}) behöver {{needed}} påslaget. Låt den vara på, eller stäng av {{plan}} också.",
    InvalidUsageLocation:
      "Användaren har ingen användningsplats och organisationen har inget standardland: ange användarens användningsplats och tilldela sedan igen.",
    InvalidUsageLocationItem:
      "{{user}} har ingen användningsplats och organisationen har inget standardland: ange användarens användningsplats och tilldela sedan igen.",
    ProhibitedInUsageLocationViolation:
      "En tjänst i licensen säljs inte i användarens användningsplats: ändra användningsplatsen, eller stäng av tjänsten.",
    ProhibitedInUsageLocationViolationItem:
      "{{plan}} i {{product}} säljs inte i {{country}}, användningsplatsen för {{user}}. Den säljs i {{countries}}: ändra användarens användningsplats, eller stäng av tjänsten.",
    SelfServiceSubscription:
      "Licenserna hör till en självbetjäningsprenumeration som en användare har köpt: ta över prenumerationen först.",
    SelfServiceSubscriptionItems:
      "Licenserna för {{products}} hör till en självbetjäningsprenumeration som en användare har köpt: ta över prenumerationen först, eller köp fler licenser.",
    GuestLicenseRequiresGlobalAdministrator:
      "Bara en global administratör kan ge en gästanvändare en licens.",
    SeatsBelowAssigned:
      "Det skulle bli färre licenser än det finns tilldelade. Ta bort tilldelningen av några först, eller behåll fler.",
    SeatsBelowAssignedItem:
      "{{product}} har {{assigned, number}} tilldelade licenser; ändringen skulle lämna {{enabled, number}}. Ta bort tilldelningen av {{short, number}} först, eller behåll fler licenser.",
    OfficeInstallLimit: "Office är redan installerat på så många enheter som tillåts: ta bort en först.",
    OfficeInstallLimitItems:
      "Office är redan installerat på {{count, number}} enheter, så många som tillåts: ta bort en först.",
    ValidationFailed: "Begäran var inte giltig ({{detail}}).",
    UserNameTaken: "Det finns redan en användare med det här användarnamnet: välj ett annat.",
    AlreadyMember: "En av de här användarna är redan medlem i gruppen.",
    Conflict: "Det går inte att göra just nu ({{detail}}).",
    Forbidden: "Din roll tillåter inte det här.",
    NotFound: "Hittades inte: den kan ha tagits bort ({{detail}}).",
    Unauthorized: "Din inloggning har gått ut eller godtogs inte: logga in igen.",
    PreconditionFailed:
      "Någon annan har ändrat det här sedan du öppnade det, så ingenting ändrades. Läs in igen och försök på nytt.",
    ServiceUnavailable: "Tjänsten är inte tillgänglig just nu. Försök igen om några sekunder.",
    TooManyRequests: "Tjänsten är upptagen just nu. Försök igen strax.",
    FailedDependency: "Inte utfört, eftersom en begäran som den berodde på misslyckades.",
    PayloadTooLarge: "Begäran är för stor: gör det i mindre delar.",
    Internal: "Något gick fel i tjänsten. Försök igen; om det fortsätter, kontakta den som driver tjänsten.",
    status: "Tjänsten svarade {{status}} {{statusText}}.",
    unreachable: "Det gick inte att nå tjänsten. Kontrollera anslutningen och försök igen.",
  },
  common: {
    cancel: "Avbryt",
    close: "Stäng",
    refresh: "Uppdatera",
    save: "Spara",
    delete: "Ta bort",
    remove: "Ta bort",
    none: "Inga",
    list: "{{items, list}}",
    failed: "Misslyckades",
    unknownProduct: "en okänd produkt",
  },
};
