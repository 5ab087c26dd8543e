// The retention sweep (R18–R20): purges what is due, and only that. It reads the due-time index day
// by day from a cursor, in bounded pages; each entry is applied under the user's ETag and then
// removed, so two sweeps at once purge an entry once, and a sweep that dies is finished by the next.

import { retryOnConflict } from "../concurrency/retry-on-conflict.js";
import { cloudEvent } from "../domain/events.js";
import { expire, type RetentionEntry } from "../domain/retention.js";
import { type Deps, userLockKey } from "./deps.js";
import { auditWrite } from "./steps/audit.js";
import { systemActor } from "./steps/system-actor.js";

export interface RetentionSweepResult {
  /** Index entries read (the sweep's scan: it follows the number due, not the total). */
  readonly entriesRead: number;
  /** User records read to apply them (one per entry). */
  readonly usersRead: number;
  readonly expired: number;
  /** Entries that no longer applied (re-licensed, restored, or done by another sweep). */
  readonly skipped: number;
  /** False when `maxEntries` stopped it: the next run carries on. */
  readonly done: boolean;
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export async function sweepRetention(
  deps: Deps,
  options: { readonly pageSize?: number; readonly maxEntries?: number } = {},
): Promise<RetentionSweepResult> {
  const { store, retention, clock } = deps;
  const pageSize = options.pageSize ?? 100;
  const maxEntries = options.maxEntries ?? 10_000;
  const concurrency = 8;
  const now = clock.now();
  const nowIso = now.toISOString();
  const today = nowIso.slice(0, 10);
  let entriesRead = 0;
  let usersRead = 0;
  let expired = 0;
  let skipped = 0;

  const apply = async (entry: RetentionEntry): Promise<void> => {
    const changed = await deps.tenantLock.run(userLockKey(entry.tenantId, entry.userId), () =>
      retryOnConflict(async () => {
        const found = await store.getUser(entry.tenantId, entry.userId);
        usersRead++;
        const after = found && expire(found.value, entry, now);
        if (!found || !after) return false;
        const before = found.value;
        const event = cloudEvent("retention.expired", deps.newId(), nowIso, `users/${entry.userId}`, {
          tenantId: entry.tenantId,
          userId: entry.userId,
          kind: entry.kind,
          due: entry.due,
          mailboxState: after.provisioning.mailbox.state,
        });
        await deps.outbox.commit(
          entry.tenantId,
          [
            { kind: "updateUser", user: after, etag: found.etag },
            ...(entry.kind === "user"
              ? [{ kind: "releaseUserPrincipalName" as const, userPrincipalName: before.userPrincipalName }]
              : []),
            auditWrite(
              deps,
              systemActor(entry.tenantId, "retention-sweep"),
              nowIso,
              `retentionExpired:${entry.kind}`,
              `user/${entry.userId}`,
              before.provisioning,
              after.provisioning,
            ),
          ],
          [event],
        );
        return true;
      }),
    );
    if (changed) expired++;
    else skipped++;
    await retention.removeRetention(entry);
  };

  let day = (await retention.getRetentionCursor()) ?? today;
  for (; day <= today; day = nextDay(day)) {
    for (;;) {
      // Processed entries are removed, so each page starts again from the oldest left.
      const page = await retention.listDueRetention(
        day,
        nowIso,
        Math.min(pageSize, maxEntries - entriesRead),
      );
      entriesRead += page.length;
      // A few entries at a time: different users' purges do not wait on each other.
      for (let i = 0; i < page.length; i += concurrency) {
        await Promise.all(page.slice(i, i + concurrency).map(apply));
      }
      if (page.length === 0) break;
      if (entriesRead >= maxEntries) return { entriesRead, usersRead, expired, skipped, done: false };
    }
    // Every entry of a past day is due and done: later sweeps start after it.
    if (day < today) await retention.advanceRetentionCursor(nextDay(day));
  }
  return { entriesRead, usersRead, expired, skipped, done: true };
}
