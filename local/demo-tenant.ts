// The demo tenant `npm run seed` creates and `npm run token` signs for by default.
export const demoTenantId = "8a3c5a41-0d52-4c3f-9d1e-5f0b7c2e9a10";
export const demoAdminId = "0c6f8a52-3b1d-4e7a-9f20-6d5e4c3b2a19";
/** The demo tenant's organisation: a Swedish company, so new users' default usage location is SE. */
export const demoOrganization = { displayName: "Contoso Sverige AB", countryLetterCode: "SE" } as const;
