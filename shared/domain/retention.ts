// The 30-day retention (R18–R20) as pure rules: when retained data falls due, what purging it
// means, and when a deleted user may come back.
import { findProduct } from "./catalog.js";
import type { Mailbox, User } from "./model.js";

export type RetentionKind = "mailbox" | "user";

/** One thing that falls due: a user's retained mailbox, or a deleted user and all their data. */
export interface RetentionEntry {
  readonly tenantId: string;
  readonly userId: string;
  readonly kind: RetentionKind;
  /** ISO time the retention ends. */
  readonly due: string;
}

export const retainedUntil = (from: Date, periodMs: number): string =>
  new Date(from.getTime() + periodMs).toISOString();

/** The retention entries a user's state calls for (so the sweep can find them by due time). */
export function retentionEntries(tenantId: string, user: User): RetentionEntry[] {
  const entries: RetentionEntry[] = [];
  const { mailbox } = user.provisioning;
  if (mailbox.state === "Retained" && mailbox.retainedUntil) {
    entries.push({ tenantId, userId: user.id, kind: "mailbox", due: mailbox.retainedUntil });
  }
  if (user.deletedAt && !user.purgedAt && user.retainedUntil) {
    entries.push({ tenantId, userId: user.id, kind: "user", due: user.retainedUntil });
  }
  return entries;
}

/** R19: an enterprise mailbox under a litigation hold becomes inactive instead of being purged. */
function expiredMailbox(user: User, mailbox: Mailbox): Mailbox {
  const keepsInactive =
    user.litigationHold && mailbox.providedBy && findProduct(mailbox.providedBy)?.supportsInactiveMailbox;
  if (keepsInactive) {
    const { retainedUntil: _, ...kept } = mailbox;
    return { ...kept, state: "Inactive" };
  }
  return { state: "Purged", sizeGB: 0 };
}

/**
 * The user after `entry` expired at `now`, or undefined when the entry no longer applies (the
 * mailbox was re-licensed, the user restored, the due time moved, or it is already done).
 */
export function expire(user: User, entry: RetentionEntry, now: Date): User | undefined {
  if (new Date(entry.due).getTime() > now.getTime()) return undefined;
  const { mailbox } = user.provisioning;
  if (entry.kind === "mailbox") {
    if (mailbox.state !== "Retained" || mailbox.retainedUntil !== entry.due) return undefined;
    return { ...user, provisioning: { ...user.provisioning, mailbox: expiredMailbox(user, mailbox) } };
  }
  if (!user.deletedAt || user.purgedAt || user.retainedUntil !== entry.due) return undefined;
  // The deleted user's data goes for good, OneDrive / SharePoint documents included (R18, R20).
  const finalMailbox =
    mailbox.state === "None" || mailbox.state === "Purged" ? mailbox : expiredMailbox(user, mailbox);
  return {
    ...user,
    purgedAt: now.toISOString(),
    provisioning: {
      ...user.provisioning,
      mailbox: finalMailbox,
      documents: user.provisioning.documents === "None" ? "None" : "Purged",
      officeInstalls: [],
    },
  };
}

/** Whether a deleted user can still be restored at `now` (R20). */
export function isRestorable(user: User, now: Date): boolean {
  return (
    user.deletedAt !== undefined &&
    user.purgedAt === undefined &&
    user.retainedUntil !== undefined &&
    new Date(user.retainedUntil).getTime() > now.getTime()
  );
}

/** How eDiscovery sees the mailbox (R19): only a licensed or an inactive mailbox can be searched. */
export function eDiscovery(mailbox: Mailbox): "Searchable" | "SearchableAsInactiveMailbox" | "NotSearchable" {
  if (mailbox.state === "Active") return "Searchable";
  if (mailbox.state === "Inactive") return "SearchableAsInactiveMailbox";
  return "NotSearchable";
}
