// Finding users through the API's OData subset: `startswith` on the name or on the UPN (the API has
// no `or`, so a search by "name or UPN" is two queries whose pages are merged), any other condition
// joined by `and`, and pages followed through `@odata.nextLink`'s skipToken.
import type { ApiClient } from "../api/client.js";
import { refusalText } from "../api/client.js";

export { holdersFilter, odataString, searchFilters } from "./search-filters.js";

/** What the console shows of a user it lists or picks. */
export interface UserSummary {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName: string;
  readonly userType?: "Member" | "Guest";
  readonly assignedLicenses?: readonly {
    readonly skuId: string;
    readonly disabledPlans: readonly string[];
  }[];
}

const select = "id,displayName,userPrincipalName,userType,assignedLicenses";

/** One query's place: its filter ("" for none) and the skipToken of its next page, if it has one. */
export interface Cursor {
  readonly filter: string;
  readonly skipToken?: string;
}

export type Page =
  | {
      readonly users: readonly UserSummary[];
      /** Where each query goes on; empty when there is no more. */
      readonly next: readonly Cursor[];
    }
  | { readonly refusal: string };

const summaryOf = (user: {
  id: string;
  displayName?: string;
  userPrincipalName?: string;
  userType?: "Member" | "Guest";
  assignedLicenses?: { skuId: string; disabledPlans: string[] }[];
}): UserSummary => ({
  id: user.id,
  displayName: user.displayName ?? user.id,
  userPrincipalName: user.userPrincipalName ?? "",
  ...(user.userType ? { userType: user.userType } : {}),
  ...(user.assignedLicenses ? { assignedLicenses: user.assignedLicenses } : {}),
});

/**
 * One page of each cursor's query, merged (a user both queries find comes once), sorted by name.
 * `licensed: false` adds the API's own `licensed=false` parameter.
 */
export async function usersPage(
  api: ApiClient,
  cursors: readonly Cursor[],
  options: { readonly top: number; readonly licensed?: boolean },
): Promise<Page> {
  const answers = await Promise.all(
    cursors.map((cursor) =>
      api.GET("/api/users", {
        params: {
          query: {
            $select: select,
            $top: options.top,
            ...(cursor.filter ? { $filter: cursor.filter } : {}),
            ...(cursor.skipToken ? { skipToken: cursor.skipToken } : {}),
            ...(options.licensed === undefined ? {} : { licensed: options.licensed ? "true" : "false" }),
          },
        },
      }),
    ),
  );
  const byId = new Map<string, UserSummary>();
  const next: Cursor[] = [];
  for (const [index, { data, error, response }] of answers.entries()) {
    if (!data) return { refusal: refusalText(error, response) };
    for (const user of data.value) if (!byId.has(user.id)) byId.set(user.id, summaryOf(user));
    const link = data["@odata.nextLink"];
    const skipToken = link ? new URL(link).searchParams.get("skipToken") : null;
    const cursor = cursors[index];
    if (skipToken && cursor) next.push({ filter: cursor.filter, skipToken });
  }
  const users = [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  return { users, next };
}

/** Every user the cursors' queries find, page after page, up to `limit`. */
export async function allUsers(
  api: ApiClient,
  cursors: readonly Cursor[],
  options: { readonly licensed?: boolean; readonly limit: number },
): Promise<
  { readonly users: readonly UserSummary[]; readonly truncated: boolean } | { readonly refusal: string }
> {
  const byId = new Map<string, UserSummary>();
  let pending = cursors;
  while (pending.length > 0) {
    const page = await usersPage(api, pending, { top: 999, ...options });
    if ("refusal" in page) return page;
    for (const user of page.users) byId.set(user.id, user);
    if (byId.size >= options.limit)
      return { users: [...byId.values()].slice(0, options.limit), truncated: true };
    pending = page.next;
  }
  return { users: [...byId.values()], truncated: false };
}

/**
 * Users named by their UPNs, through `$batch` (20 GETs a batch, 4 batches at a time): those found,
 * and the names no user has.
 */
export async function usersByPrincipalName(
  api: ApiClient,
  names: readonly string[],
): Promise<
  | { readonly users: readonly UserSummary[]; readonly missing: readonly string[] }
  | { readonly refusal: string }
> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += 20) batches.push(names.slice(i, i + 20));
  const users: UserSummary[] = [];
  const missing: string[] = [];
  for (let i = 0; i < batches.length; i += 4) {
    const answers = await Promise.all(
      batches.slice(i, i + 4).map((batch) =>
        api.POST("/api/$batch", {
          body: {
            requests: batch.map((name, index) => ({
              id: String(index),
              method: "GET",
              url: `users/${encodeURIComponent(name).replace(/%40/g, "@")}?$select=${select}`,
            })),
          },
        }),
      ),
    );
    for (const [offset, { data, error, response }] of answers.entries()) {
      if (!data) return { refusal: refusalText(error, response) };
      const batch = batches[i + offset] ?? [];
      for (const inner of data.responses) {
        const name = batch[Number(inner.id)] ?? inner.id;
        if (inner.status === 200 && isUser(inner.body)) users.push(summaryOf(inner.body));
        else if (inner.status === 404) missing.push(name);
        else
          return {
            refusal: `${name}: ${refusalText(inner.body, new Response(null, { status: inner.status }))}`,
          };
      }
    }
  }
  return { users, missing };
}

function isUser(body: unknown): body is { id: string; displayName?: string; userPrincipalName?: string } {
  return typeof body === "object" && body !== null && "id" in body && typeof body.id === "string";
}

/** UPNs pasted one a line or separated by commas, semicolons or spaces; each once. */
export function pastedNames(text: string): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const part of text.split(/[\s,;]+/)) {
    const name = part.trim();
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      names.push(name);
    }
  }
  return names;
}
