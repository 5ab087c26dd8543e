// The console's sign-in as the app is configured: without the CONSOLE_* settings (locally) the
// pasted-token dialog; with them, Microsoft Entra ID through MSAL. No real Entra ID is reachable
// here: playwright's routing answers every request to the configured authority's host in the page
// (OpenID metadata, the authorize navigation, the token endpoint) as Entra ID would, with an access
// token signed by the test app's key. So this checks what the console sends and does, not Entra ID.
import { randomUUID } from "node:crypto";
import type { Browser, Page, Request, Route } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousAccessibilityViolations } from "../support/browser.js";
import { startTestApp, type TestApp } from "../support/test-app.js";

let browser: Browser;
let page: Page;
/** Every request the page sent to Entra ID's host. */
let entraRequests: Request[];

const entraHost = "https://login.microsoftonline.com";

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  entraRequests = [];
  page.on("request", (request) => {
    if (request.url().startsWith(entraHost)) entraRequests.push(request);
  });
});
afterEach(async () => {
  await page.close();
});

describe("without the CONSOLE_* settings (locally)", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ triggers: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it("asks for a pasted token, shows the npm run token command, and never goes to Entra ID", async () => {
    await page.goto(app.url);
    const dialog = page.getByRole("alertdialog", { name: "Sign in to License Manager" });
    await dialog.getByLabel("Bearer token").waitFor();
    await dialog.getByText("npm run -s token -- --role GlobalAdministrator").waitFor();
    expect(await dialog.getByRole("button", { name: "Sign in with Microsoft" }).count()).toBe(0);
    expect(entraRequests).toEqual([]);
  }, 60_000);
});

/** base64url of a JSON value. */
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("with the CONSOLE_* settings", () => {
  const tenantId = randomUUID();
  const clientId = randomUUID();
  const authority = `${entraHost}/${tenantId}`;
  const apiScope = "api://license-assignment/access_as_user";
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      triggers: false,
      env: { CONSOLE_CLIENT_ID: clientId, CONSOLE_AUTHORITY: authority, CONSOLE_API_SCOPE: apiScope },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  /**
   * Entra ID as far as MSAL sees it. The authorize request is answered with the redirect Entra ID
   * would send after the person signed in; the token endpoint with tokens for the API scope.
   */
  async function fakeEntra(options: { onAuthorize: (url: URL) => void }) {
    const oid = randomUUID();
    let nonce = "";
    const issuer = `${entraHost}/${tenantId}/v2.0`;
    const accessToken = await app.token(tenantId, { roles: ["GlobalAdministrator"], objectId: oid });
    await page.route(`${entraHost}/**`, async (route: Route) => {
      const url = new URL(route.request().url());
      const cors = { "access-control-allow-origin": "*", "content-type": "application/json" };
      if (url.pathname === `/${tenantId}/v2.0/.well-known/openid-configuration`) {
        return route.fulfill({
          headers: cors,
          body: JSON.stringify({
            issuer,
            authorization_endpoint: `${entraHost}/${tenantId}/oauth2/v2.0/authorize`,
            token_endpoint: `${entraHost}/${tenantId}/oauth2/v2.0/token`,
            end_session_endpoint: `${entraHost}/${tenantId}/oauth2/v2.0/logout`,
            jwks_uri: `${entraHost}/${tenantId}/discovery/v2.0/keys`,
            response_modes_supported: ["query", "fragment", "form_post"],
            response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
            scopes_supported: ["openid", "profile", "email", "offline_access"],
          }),
        });
      }
      if (url.pathname === "/common/discovery/instance") {
        return route.fulfill({
          headers: cors,
          body: JSON.stringify({
            tenant_discovery_endpoint: `${entraHost}/${tenantId}/v2.0/.well-known/openid-configuration`,
            "api-version": "1.1",
            metadata: [
              {
                preferred_network: "login.microsoftonline.com",
                preferred_cache: "login.windows.net",
                aliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com"],
              },
            ],
          }),
        });
      }
      if (url.pathname === `/${tenantId}/oauth2/v2.0/authorize`) {
        options.onAuthorize(url);
        nonce = url.searchParams.get("nonce") ?? "";
        const answer = new URLSearchParams({
          code: "fake-authorization-code",
          state: url.searchParams.get("state") ?? "",
          client_info: b64({ uid: oid, utid: tenantId }),
        });
        const redirect = url.searchParams.get("redirect_uri") ?? "";
        const separator = url.searchParams.get("response_mode") === "query" ? "?" : "#";
        return route.fulfill({ status: 302, headers: { location: `${redirect}${separator}${answer}` } });
      }
      if (url.pathname === `/${tenantId}/oauth2/v2.0/token`) {
        const now = Math.floor(Date.now() / 1000);
        const idToken = `${b64({ alg: "RS256", typ: "JWT" })}.${b64({
          aud: clientId,
          iss: issuer,
          iat: now,
          nbf: now,
          exp: now + 3600,
          name: "Adele Vance",
          nonce,
          oid,
          preferred_username: "adele.vance@contoso.example",
          sub: oid,
          tid: tenantId,
          ver: "2.0",
        })}.c2lnbmF0dXJl`;
        return route.fulfill({
          headers: cors,
          body: JSON.stringify({
            token_type: "Bearer",
            scope: apiScope,
            expires_in: 600,
            ext_expires_in: 600,
            access_token: accessToken,
            refresh_token: "fake-refresh-token",
            id_token: idToken,
            client_info: b64({ uid: oid, utid: tenantId }),
          }),
        });
      }
      return route.fulfill({ status: 404, headers: cors, body: JSON.stringify({ error: "not_faked" }) });
    });
  }

  it("offers Microsoft sign-in instead of the token field, with no serious accessibility violation", async () => {
    await page.route(`${entraHost}/**`, (route) => route.abort());
    await page.goto(app.url);
    const dialog = page.getByRole("alertdialog", { name: "Sign in to License Manager" });
    await dialog.getByRole("button", { name: "Sign in with Microsoft" }).waitFor();
    expect(await dialog.getByLabel("Bearer token").count()).toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, "sign-in-entra");
  }, 60_000);

  it("signs in at the configured authority for the API scope, then calls the API with that token, kept in sessionStorage only", async () => {
    let authorize: URL | undefined;
    await fakeEntra({ onAuthorize: (url) => (authorize = url) });
    await page.goto(`${app.url}/licenses`);
    await page.getByRole("button", { name: "Sign in with Microsoft" }).click();
    await page.getByRole("heading", { name: "Licenses" }).waitFor();

    // The navigation MSAL started: Entra ID's authorize endpoint of the configured tenant, the
    // authorization code flow with PKCE for the console's client id, the API's scope among those asked.
    expect(authorize?.origin).toBe(entraHost);
    expect(authorize?.pathname).toBe(`/${tenantId}/oauth2/v2.0/authorize`);
    expect(authorize?.searchParams.get("client_id")).toBe(clientId);
    expect(authorize?.searchParams.get("response_type")).toBe("code");
    expect(authorize?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize?.searchParams.get("redirect_uri")).toBe(`${app.url}/auth/redirect`);
    expect(authorize?.searchParams.get("scope")?.split(" ")).toContain(apiScope);

    // The code was redeemed at the token endpoint for the API scope, and the API accepted the token.
    const tokenRequest = entraRequests.find((request) => request.url().includes("/oauth2/v2.0/token"));
    const form = new URLSearchParams(tokenRequest?.postData() ?? "");
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("scope")?.split(" ")).toContain(apiScope);
    expect(form.get("code_verifier")).toBeTruthy();
    await page.getByText("This organization has no products yet.").waitFor();
    // The header names the role in words and never shows the tenant's id.
    await page.getByRole("banner").getByText("Global Administrator").waitFor();
    expect(await page.getByRole("banner").textContent()).not.toContain(tenantId);
    expect(new URL(page.url()).pathname).toBe("/licenses");

    const storage = await page.evaluate<{ local: string; session: string }>(
      "({ local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) })",
    );
    expect(storage.local).not.toContain("fake-refresh-token");
    expect(storage.local).not.toMatch(/eyJ[\w-]+\.eyJ/);
    expect(storage.session).toContain("fake-refresh-token");
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // Signing out signs out at Entra ID too, which comes back to the console.
    const logout = page.waitForRequest((request) => request.url().includes("/oauth2/v2.0/logout"));
    await page.getByRole("button", { name: "Sign out" }).click();
    const logoutUrl = new URL((await logout).url());
    expect(logoutUrl.pathname).toBe(`/${tenantId}/oauth2/v2.0/logout`);
    expect(logoutUrl.searchParams.get("post_logout_redirect_uri")).toBe(`${app.url}/`);
  }, 90_000);
});
