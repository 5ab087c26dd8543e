// Sign-in with Microsoft Entra ID through MSAL (@azure/msal-browser), used when the app's CONSOLE_*
// settings are set (GET /api/console/config). MSAL is loaded only then (its own chunk), keeps its
// tokens in this tab's sessionStorage, and renews the API token silently before each request.
import type { AccountInfo, IPublicClientApplication } from "@azure/msal-browser";
import { type Session, sessionOf } from "./session.js";

export interface EntraSettings {
  readonly clientId: string;
  readonly authority: string;
  readonly apiScope: string;
}

/**
 * The redirect URI registered on the app registration (single-page application): a page of its own
 * (main.tsx hands it to MSAL's redirect bridge), which MSAL v5 needs for popups and silent renewal.
 */
export const redirectPath = "/auth/redirect";

export interface EntraSignIn {
  /** The session after coming back from Entra ID, or from an account MSAL already holds. */
  readonly resume: (options: { readonly useCachedAccount: boolean }) => Promise<Session | undefined>;
  /** Leaves for Entra ID's sign-in page; the console comes back to the page it was on. */
  readonly signIn: () => Promise<void>;
}

export async function entraSignIn(settings: EntraSettings): Promise<EntraSignIn> {
  const { PublicClientApplication } = await import("@azure/msal-browser");
  const origin = window.location.origin;
  const msal: IPublicClientApplication = new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      redirectUri: `${origin}${redirectPath}`,
      postLogoutRedirectUri: `${origin}/`,
    },
    // Never localStorage: tokens go with the tab.
    cache: { cacheLocation: "sessionStorage" },
  });
  await msal.initialize();
  const scopes = [settings.apiScope];

  const sessionFor = async (account: AccountInfo): Promise<Session> => {
    const { accessToken } = await msal.acquireTokenSilent({ scopes, account });
    const session = sessionOf(accessToken);
    if ("problem" in session)
      throw new Error(`Entra ID gave a token the console cannot read: ${session.problem}`);
    return {
      ...session,
      kind: "entra",
      // MSAL answers from its cache, or renews with its refresh token when the token nears expiry.
      freshToken: async () => (await msal.acquireTokenSilent({ scopes, account })).accessToken,
      end: () => msal.logoutRedirect({ account }),
    };
  };

  return {
    async resume({ useCachedAccount }) {
      const result = await msal.handleRedirectPromise();
      if (result?.account) {
        msal.setActiveAccount(result.account);
        return sessionFor(result.account);
      }
      const account = msal.getActiveAccount() ?? msal.getAllAccounts()[0];
      if (!account || !useCachedAccount) return undefined;
      try {
        return await sessionFor(account);
      } catch {
        return undefined; // the refresh token expired or was revoked: sign in again
      }
    },
    async signIn() {
      await msal.loginRedirect({ scopes, redirectStartPage: window.location.href });
    },
  };
}
