// The console in Swedish (issue 20), in Debian's Chromium with the browser's locale sv-SE, against the
// real app: <html lang="sv">, the admin center's Swedish words (Licenser, Tilldela licenser, Licenser
// och appar), the organization and role in words, dates as a Swede writes them, a license assigned end
// to end, a refusal shown in Swedish by its problem code with its counts, axe clean in each state;
// then the switcher's choice of English, kept by a reload.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations } from "../support/browser.js";
import { productOf, skus } from "../support/catalog-ids.js";
import { newTenant, startTestApp, type TestApp } from "../support/test-app.js";

const businessStandard = productOf("O365_BUSINESS_PREMIUM").displayName;

let app: TestApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [app, browser] = await Promise.all([startTestApp({ triggers: false }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: "sv-SE" });
});
afterEach(async () => {
  await page.close();
});

/** Signs in through the Swedish sign-in dialog. */
async function signInSwedish(token: string): Promise<void> {
  await page.goto(app.url);
  await page.getByRole("alertdialog", { name: "Logga in på Licenshanteraren" }).waitFor();
  await page.getByLabel("Bearer-token").fill(token);
  await page.getByRole("button", { name: "Logga in", exact: true }).click();
  await page.getByRole("heading", { name: "Licenser", level: 1 }).waitFor();
}

describe("the console in Swedish", () => {
  it("speaks Swedish from the browser's locale: words, names, dates, an assignment and a refusal by its code", async () => {
    const tenant = await newTenant(app);
    expect(
      (
        await tenant.call("PATCH", `/api/organization/${tenant.tenantId}`, {
          displayName: "Contoso AB",
          countryLetterCode: "SE",
        })
      ).status,
    ).toBe(204);
    const subscription = await tenant.buy(skus.businessStandard, 1);
    const { body: bought } = await tenant.call<{ createdAt: string }>(
      "GET",
      `/api/subscriptions/${subscription.id}`,
    );
    const adele = await tenant.user();
    const adeleName = adele.userPrincipalName.split("@")[0] ?? "";

    await signInSwedish(tenant.admin);
    expect(await page.evaluate("document.documentElement.lang")).toBe("sv");
    expect(await page.title()).toBe("Licenshanteraren");
    // The header: the console's own name, the organization and the role in words, never the tenant id.
    const banner = page.getByRole("banner");
    await banner.getByText("Licenshanteraren").waitFor();
    await banner.getByText("Contoso AB").waitFor();
    await banner.getByText("Global administratör").waitFor();
    expect(await banner.textContent()).not.toContain(tenant.tenantId);
    await page
      .getByRole("navigation", { name: "Administrationscenter" })
      .getByRole("link", { name: "Aktiva användare" })
      .waitFor();
    const row = page.getByRole("row", { name: new RegExp(`^${businessStandard}`) });
    await row.getByText("1 av 1 tillgängliga").waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "swedish-licenses");

    // The subscription named in words, bought on a date as a Swede writes it ("1 maj 2026").
    const swedishDate = new Intl.DateTimeFormat("sv-SE", { dateStyle: "medium" }).format(
      new Date(bought.createdAt),
    );
    expect(swedishDate).toMatch(/^\d{1,2} [a-zåäö]+\.? \d{4}$/);
    await row.getByRole("link", { name: `${businessStandard}: 1 prenumeration` }).click();
    await page.getByRole("heading", { name: `${businessStandard}: prenumerationer` }).waitFor();
    await page.getByRole("cell", { name: `Köpt ${swedishDate} av en administratör` }).waitFor();
    await page.getByRole("cell", { name: "Aktiv", exact: true }).waitFor();
    await page.getByRole("cell", { name: swedishDate, exact: true }).waitFor();
    expect(await page.locator("main").textContent()).not.toMatch(/\d{1,2}\/\d{1,2}\/\d{4}/);

    // Assign the product to Adele end to end, in Swedish words.
    await page
      .getByRole("navigation", { name: "Administrationscenter" })
      .getByRole("link", { name: "Licenser" })
      .click();
    await page.getByRole("button", { name: `Tilldela ${businessStandard}` }).click();
    const assign = page.getByRole("dialog", { name: `Tilldela ${businessStandard}` });
    await assign.getByRole("combobox", { name: "Användare" }).fill(adele.userPrincipalName);
    await page.getByRole("option", { name: new RegExp(adele.userPrincipalName) }).click();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await assign.getByRole("button", { name: "Tilldela", exact: true }).click();
    await page.getByText(`Tilldelade ${businessStandard} till ${adeleName}.`).waitFor();
    await row.getByText("0 av 1 tillgängliga").waitFor();
    expect((await tenant.sku(skus.businessStandard)).consumedUnits).toBe(1);

    // No seat left: adding a user with the product is refused, and the console says so in Swedish by
    // the problem's code, filled with the product and the counts the problem carries.
    await page
      .getByRole("navigation", { name: "Administrationscenter" })
      .getByRole("link", { name: "Aktiva användare" })
      .click();
    await page.getByRole("heading", { name: "Aktiva användare", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Lägg till en användare" }).click();
    const add = page.getByRole("dialog", { name: "Lägg till en användare" });
    await add.getByLabel(/^Visningsnamn/).fill("Grace Taylor");
    await add.getByLabel(/^Användarnamn/).fill(`grace.${tenant.tenantId.slice(0, 6)}@contoso.example`);
    await add.getByRole("checkbox", { name: `${businessStandard} (0 av 1 tillgängliga)` }).check();
    await add.getByRole("button", { name: "Lägg till", exact: true }).click();
    await add
      .getByText(
        `Det finns inte tillräckligt många licenser: ${businessStandard} behöver 1 till (0 tillgängliga). Köp fler licenser eller ta bort tilldelningen av några först.`,
      )
      .waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "swedish-refused");
    await add.getByRole("button", { name: "Avbryt" }).click();

    // Adele's panel: "Licenser och appar", her license ticked, "Spara ändringar".
    await page.getByRole("link", { name: adeleName, exact: true }).click();
    const panel = page.getByRole("dialog", { name: adeleName });
    await panel.getByRole("heading", { name: "Licenser och appar" }).waitFor();
    expect(await panel.getByRole("checkbox", { name: new RegExp(`^${businessStandard}`) }).isChecked()).toBe(
      true,
    );
    await panel.getByText("Tilldelad direkt").waitFor();
    await page.getByRole("button", { name: "Spara ändringar" }).waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "swedish-user-panel");
  }, 120_000);

  it("switches to English with the header's switcher, kept in this browser across a reload", async () => {
    const tenant = await newTenant(app);
    await signInSwedish(tenant.admin);
    await page.getByRole("combobox", { name: "Språk" }).selectOption({ label: "English" });
    await page.getByRole("heading", { name: "Licenses", level: 1 }).waitFor();
    expect(await page.evaluate("document.documentElement.lang")).toBe("en");
    await page.reload();
    await page.getByRole("heading", { name: "Licenses", level: 1 }).waitFor();
    expect(await page.evaluate("document.documentElement.lang")).toBe("en");
    // Each language is named in itself.
    expect(
      await page.getByRole("combobox", { name: "Language" }).locator("option").allTextContents(),
    ).toEqual(["English", "Svenska", "Dansk", "Norsk (bokmål)"]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);
});
