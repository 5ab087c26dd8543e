// The signed-in session: the bearer token, kept in sessionStorage only (gone with the tab, never in
// localStorage or a cookie), and what the console reads from it to show only what the roles allow.
// The server checks every request itself; the console only hides what would be refused.
import { hasRight, isRole, type Right, type Role } from "../../../shared/domain/roles.js";
import { formatDateTime } from "../i18n/format.js";
import { i18next } from "../i18n/index.js";

const storageKey = "license-console.token";

export interface Session {
  readonly token: string;
  readonly tenantId: string | undefined;
  readonly roles: readonly Role[];
  readonly expiresAt: Date | undefined;
  readonly can: (right: Right) => boolean;
  /** Microsoft Entra ID sessions (./entra.ts) only: kept by MSAL, not here. */
  readonly kind?: "entra";
  /** The token to send now, renewed by MSAL when it nears expiry. */
  readonly freshToken?: () => Promise<string>;
  /** Signs out at Entra ID too (leaves the page). */
  readonly end?: () => Promise<void>;
}

interface Claims {
  readonly tid?: unknown;
  readonly roles?: unknown;
  readonly exp?: unknown;
}

function claimsOf(token: string): Claims | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="))) as Claims;
  } catch {
    return undefined;
  }
}

/** A session from a pasted token, or why the text is not a token at all. */
export function sessionOf(token: string): Session | { readonly problem: string } {
  const trimmed = token.trim().replace(/^Bearer\s+/i, "");
  const claims = claimsOf(trimmed);
  if (!claims) return { problem: i18next.t("signIn.notToken") };
  const roles = Array.isArray(claims.roles)
    ? claims.roles.filter((role): role is Role => typeof role === "string" && isRole(role))
    : [];
  const expiresAt = typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined;
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    return { problem: i18next.t("signIn.expired", { at: formatDateTime(expiresAt) }) };
  }
  return {
    token: trimmed,
    tenantId: typeof claims.tid === "string" ? claims.tid : undefined,
    roles,
    expiresAt,
    can: (right) => hasRight(roles, right),
  };
}

export function storedSession(): Session | undefined {
  const token = sessionStorage.getItem(storageKey);
  if (!token) return undefined;
  const session = sessionOf(token);
  if ("problem" in session) {
    sessionStorage.removeItem(storageKey);
    return undefined;
  }
  return session;
}

export function keepSession(session: Session): void {
  // An Entra ID session is MSAL's to keep (also in sessionStorage), with what it needs to renew it.
  if (session.kind === "entra") return;
  sessionStorage.setItem(storageKey, session.token);
}

export function forgetSession(): void {
  sessionStorage.removeItem(storageKey);
}
