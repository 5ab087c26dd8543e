// What the Bulk page keeps while the admin visits other pages: the users chosen, the operation, the
// products and the job started, in sessionStorage (this tab only, gone with it, like the token), one
// entry per tenant. A saved draft that cannot be read is ignored.
import type { UserSummary } from "../components/user-search.js";

export type Operation = "add" | "replace" | "remove" | "removeAll";

export interface BulkDraft {
  readonly users: readonly UserSummary[];
  readonly operation: Operation;
  readonly skuIds: readonly string[];
  readonly allowPartial: boolean;
  /** The job last started here, with the names of its users (its results show them). */
  readonly job?: { readonly id: string; readonly names: readonly (readonly [string, string])[] };
}

const keyOf = (tenantId: string | undefined) => `license-console.bulk.${tenantId ?? ""}`;
const operations: readonly string[] = ["add", "replace", "remove", "removeAll"];

export function loadBulkDraft(tenantId: string | undefined): BulkDraft | undefined {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(keyOf(tenantId)) ?? "null");
    if (typeof saved !== "object" || saved === null) return undefined;
    const draft = saved as Record<string, unknown>;
    if (!Array.isArray(draft.users) || !Array.isArray(draft.skuIds)) return undefined;
    const users = (draft.users as unknown[]).filter(
      (user): user is [string, string, string] =>
        Array.isArray(user) && user.length === 3 && user.every((part) => typeof part === "string"),
    );
    const job = draft.job as BulkDraft["job"] | undefined;
    return {
      users: users.map(([id, displayName, userPrincipalName]) => ({ id, displayName, userPrincipalName })),
      operation: operations.includes(String(draft.operation)) ? (draft.operation as Operation) : "add",
      skuIds: (draft.skuIds as unknown[]).filter((skuId): skuId is string => typeof skuId === "string"),
      allowPartial: draft.allowPartial === true,
      ...(typeof job?.id === "string" && Array.isArray(job.names) ? { job } : {}),
    };
  } catch {
    return undefined;
  }
}

export function saveBulkDraft(tenantId: string | undefined, draft: BulkDraft): void {
  // Users as [id, name, UPN]: 10,000 of them stay well within sessionStorage's 5 MB.
  const saved = {
    ...draft,
    users: draft.users.map((user) => [user.id, user.displayName, user.userPrincipalName]),
  };
  try {
    sessionStorage.setItem(keyOf(tenantId), JSON.stringify(saved));
  } catch {
    // Full or switched off: the page works on, only without keeping its draft.
  }
}
