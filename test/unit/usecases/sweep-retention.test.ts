// sweepRetention against in-memory ports (R18–R20): purges what is due, and only that.
import { describe, expect, it } from "vitest";
import { deleteUser } from "../../../shared/usecases/delete-user.js";
import { restoreUser } from "../../../shared/usecases/restore-user.js";
import { sweepRetention } from "../../../shared/usecases/sweep-retention.js";
import { days, minutes } from "../../support/test-clock.js";
import { addUser, admin, stored, tenantId, type World, world } from "./fixture.js";

/** A user with a mailbox (a shared mailbox has one without a license), deleted now: one "user" entry. */
async function deletedUser(w: World, name: string) {
  const user = await addUser(w, name, [], { mailboxType: "Shared" });
  await deleteUser(w.deps, admin, user.id);
  return user;
}

describe("sweepRetention", () => {
  it("purges a deleted user whose retention is due and leaves one not yet due", async () => {
    const w = world();
    const early = await deletedUser(w, "early");
    w.clock.advance(days(10));
    const late = await deletedUser(w, "late");
    w.clock.advance(days(20) + minutes(1));

    const result = await sweepRetention(w.deps);

    expect(result).toMatchObject({ expired: 1, skipped: 0, done: true });
    const purged = await stored(w, early.id);
    expect(purged.purgedAt).toBe(w.clock.now().toISOString());
    expect(purged.provisioning.mailbox.state).toBe("Purged");
    const kept = await stored(w, late.id);
    expect(kept.purgedAt).toBeUndefined();
    expect(kept.provisioning.mailbox.state).toBe("Active");
    expect(w.retention.entries.map((e) => [e.userId, e.kind])).toEqual([[late.id, "user"]]);
  });

  it("purges an entry due earlier today and keeps one due later today in the index", async () => {
    const w = world();
    const morning = await deletedUser(w, "morning");
    w.clock.advance(minutes(6 * 60));
    const evening = await deletedUser(w, "evening");
    w.clock.advance(days(30) - minutes(3 * 60));

    const result = await sweepRetention(w.deps);

    expect(result).toMatchObject({ expired: 1, skipped: 0 });
    expect((await stored(w, morning.id)).purgedAt).toBeDefined();
    expect((await stored(w, evening.id)).purgedAt).toBeUndefined();
    expect(w.retention.entries).toEqual([
      { tenantId, userId: evening.id, kind: "user", due: "2024-03-31T18:00:00.000Z" },
    ]);
  });

  it("releases a purged user's sign-in name, so it can be used again", async () => {
    const w = world();
    await deletedUser(w, "ada");
    w.clock.advance(days(30));
    expect(await w.deps.store.isUserPrincipalNameTaken(tenantId, "ada@contoso.example")).toBe(true);

    await sweepRetention(w.deps);

    expect(await w.deps.store.isUserPrincipalNameTaken(tenantId, "ada@contoso.example")).toBe(false);
    const again = await addUser(w, "ada");
    expect(again.userPrincipalName).toBe("ada@contoso.example");
  });

  it("still purges entries of days it did not run on", async () => {
    const w = world();
    const user = await deletedUser(w, "ada");
    w.clock.advance(days(33));

    const result = await sweepRetention(w.deps);

    expect(result.expired).toBe(1);
    expect((await stored(w, user.id)).purgedAt).toBeDefined();
    expect(await w.retention.getRetentionCursor()).toBe("2024-04-03");
  });

  it("skips the entries of a user restored meanwhile and drops them from the index", async () => {
    const w = world();
    const user = await deletedUser(w, "ada");
    w.clock.advance(days(1));
    await restoreUser(w.deps, admin, user.id);
    w.clock.advance(days(29));
    const before = await stored(w, user.id);

    const result = await sweepRetention(w.deps);

    expect(result.skipped).toBeGreaterThanOrEqual(1);
    const after = await stored(w, user.id);
    expect(after.purgedAt).toBeUndefined();
    expect(after.deletedAt).toBeUndefined();
    expect(after.provisioning.mailbox).toEqual(before.provisioning.mailbox);
    expect(w.retention.entries.filter((e) => e.kind === "user")).toEqual([]);
  });
});
