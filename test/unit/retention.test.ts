// The 30-day retention as pure rules (R18–R20): what falls due when, what purging means (or an
// inactive mailbox under a hold on E3), when a deleted user may come back, and eDiscovery.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Mailbox, MailboxState, User, UserProvisioning } from "../../shared/domain/model.js";
import { initialProvisioning } from "../../shared/domain/provisioning.js";
import {
  eDiscovery,
  expire,
  isRestorable,
  type RetentionEntry,
  retainedUntil,
  retentionEntries,
} from "../../shared/domain/retention.js";
import { productOf } from "../support/catalog-ids.js";
import { testUser, testUserId } from "../support/users.js";

const e3 = productOf("ENTERPRISEPACK"); // supports an inactive mailbox
const businessStandard = productOf("O365_BUSINESS_PREMIUM"); // does not
const exchangePlan1 = productOf("EXCHANGESTANDARD"); // does not

const tenantId = "7c1d4a2b-3e5f-4a6b-9c8d-0e1f2a3b4c5d";
const userId = testUserId;
const earlier = "2024-01-10T09:00:00.000Z";
const deletedAt = "2024-06-01T12:00:00.000Z";
const due = "2024-07-01T12:00:00.000Z";
const dueTime = new Date(due);
const msBeforeDue = (ms: number): Date => new Date(dueTime.getTime() - ms);
const msAfterDue = (ms: number): Date => new Date(dueTime.getTime() + ms);

function provisioning(overrides: Partial<UserProvisioning> = {}): UserProvisioning {
  return { ...initialProvisioning("User", () => "unused"), ...overrides };
}

const user = testUser;

const retainedMailbox = (overrides: Partial<Mailbox> = {}): Mailbox => ({
  state: "Retained",
  dataId: "data-old",
  sizeGB: 12.5,
  providedBy: e3.skuId,
  retainedUntil: due,
  ...overrides,
});

/** An unlicensed user whose mailbox waits out its retention. */
const withRetainedMailbox = (overrides: Partial<User> = {}, mailbox: Partial<Mailbox> = {}): User =>
  user({ provisioning: provisioning({ mailbox: retainedMailbox(mailbox) }), ...overrides });

/** A user deleted on `deletedAt`, restorable until `due`, with their documents and installs still there. */
function deletedUser(overrides: Partial<User> = {}, mailbox: Mailbox = retainedMailbox()): User {
  return user({
    deletedAt,
    retainedUntil: due,
    provisioning: provisioning({
      mailbox,
      documents: "Kept",
      officeInstalls: [{ id: "install-1", deviceName: "PC-1", platform: "Windows", installedAt: earlier }],
    }),
    ...overrides,
  });
}

const mailboxEntry: RetentionEntry = { tenantId, userId, kind: "mailbox", due };
const userEntry: RetentionEntry = { tenantId, userId, kind: "user", due };

describe("the end of a retention", () => {
  it("is the start plus the period, as an ISO time", () => {
    expect(retainedUntil(new Date(deletedAt), 30 * 24 * 60 * 60 * 1000)).toBe(due);
    expect(retainedUntil(new Date("2024-02-28T12:00:00.000Z"), 24 * 60 * 60 * 1000)).toBe(
      "2024-02-29T12:00:00.000Z",
    );
  });
});

describe("the retention entries a user calls for", () => {
  it("lists a Retained mailbox, due when its retention ends", () => {
    expect(retentionEntries(tenantId, withRetainedMailbox())).toEqual([mailboxEntry]);
  });

  it("lists a deleted user who is not purged, due when the user's retention ends", () => {
    const deleted = deletedUser(
      { retainedUntil: "2024-07-02T08:00:00.000Z" },
      { state: "Active", dataId: "data-old", sizeGB: 1 },
    );
    expect(retentionEntries(tenantId, deleted)).toEqual([
      { tenantId, userId, kind: "user", due: "2024-07-02T08:00:00.000Z" },
    ]);
  });

  it("lists both the mailbox and the user for a deleted user whose mailbox is Retained", () => {
    const deleted = deletedUser({}, retainedMailbox({ retainedUntil: "2024-06-30T00:00:00.000Z" }));
    expect(retentionEntries(tenantId, deleted)).toEqual([
      { tenantId, userId, kind: "mailbox", due: "2024-06-30T00:00:00.000Z" },
      userEntry,
    ]);
  });

  it.each<MailboxState>(["None", "Active", "Inactive", "Purged"])(
    "lists nothing for a %s mailbox, even one that still carries a retention time",
    (state) => {
      const mailbox: Mailbox = { state, sizeGB: 3, retainedUntil: due };
      expect(retentionEntries(tenantId, user({ provisioning: provisioning({ mailbox }) }))).toEqual([]);
    },
  );

  it("lists nothing for a purged user", () => {
    const purged = deletedUser({ purgedAt: due }, { state: "Purged", sizeGB: 0 });
    expect(retentionEntries(tenantId, purged)).toEqual([]);
  });

  it("lists nothing for a user that is not deleted", () => {
    expect(retentionEntries(tenantId, user({ retainedUntil: due }))).toEqual([]);
  });
});

describe("expiring a mailbox's retention (R18, R19)", () => {
  it("does nothing before the due time", () => {
    expect(expire(withRetainedMailbox(), mailboxEntry, msBeforeDue(1))).toBeUndefined();
  });

  it("purges the mailbox at the due time: no data, no size", () => {
    const result = expire(withRetainedMailbox(), mailboxEntry, dueTime);
    expect(result?.provisioning.mailbox).toEqual({ state: "Purged", sizeGB: 0 });
    expect(result?.provisioning.mailbox).not.toHaveProperty("dataId");
  });

  it("purges the mailbox after the due time too, and changes nothing else", () => {
    const start = withRetainedMailbox({
      provisioning: provisioning({ mailbox: retainedMailbox(), documents: "Kept" }),
    });
    const result = expire(start, mailboxEntry, msAfterDue(86_400_000));
    expect(result).toEqual({
      ...start,
      provisioning: { ...start.provisioning, mailbox: { state: "Purged", sizeGB: 0 } },
    });
    expect(result?.purgedAt).toBeUndefined();
    expect(result?.provisioning.documents).toBe("Kept");
  });

  it("does nothing when the mailbox was re-licensed (no longer Retained)", () => {
    const relicensed = user({
      provisioning: provisioning({
        mailbox: { state: "Active", dataId: "data-old", sizeGB: 12.5, providedBy: e3.skuId },
      }),
    });
    expect(expire(relicensed, mailboxEntry, msAfterDue(1))).toBeUndefined();
  });

  it("does nothing when the mailbox was re-licensed and retained again with a later due time", () => {
    const again = withRetainedMailbox({}, { retainedUntil: "2024-07-15T12:00:00.000Z" });
    expect(expire(again, mailboxEntry, msAfterDue(1))).toBeUndefined();
  });

  // Each still carries the entry's due time: only the state says the retention is over.
  it.each<Mailbox>([
    { state: "Purged", sizeGB: 0, retainedUntil: due },
    { state: "Inactive", dataId: "data-old", sizeGB: 12.5, providedBy: e3.skuId, retainedUntil: due },
    { state: "Active", dataId: "data-old", sizeGB: 12.5, providedBy: e3.skuId, retainedUntil: due },
    { state: "None", sizeGB: 0, retainedUntil: due },
  ])("does nothing when the mailbox is $state, not Retained", (mailbox) => {
    expect(
      expire(user({ provisioning: provisioning({ mailbox }) }), mailboxEntry, msAfterDue(1)),
    ).toBeUndefined();
  });

  it("keeps an E3 mailbox under a litigation hold as Inactive, data and size kept, no retention (R19)", () => {
    const result = expire(withRetainedMailbox({ litigationHold: true }), mailboxEntry, dueTime);
    expect(result?.provisioning.mailbox).toEqual({
      state: "Inactive",
      dataId: "data-old",
      sizeGB: 12.5,
      providedBy: e3.skuId,
    });
    expect(result?.provisioning.mailbox).not.toHaveProperty("retainedUntil");
  });

  it("purges an E3 mailbox without a litigation hold", () => {
    const result = expire(withRetainedMailbox({ litigationHold: false }), mailboxEntry, dueTime);
    expect(result?.provisioning.mailbox.state).toBe("Purged");
  });

  it.each([
    ["Business Standard", businessStandard],
    ["Exchange Online (Plan 1)", exchangePlan1],
  ])("purges a %s mailbox even under a litigation hold", (_name, product) => {
    const result = expire(
      withRetainedMailbox({ litigationHold: true }, { providedBy: product.skuId }),
      mailboxEntry,
      dueTime,
    );
    expect(result?.provisioning.mailbox).toEqual({ state: "Purged", sizeGB: 0 });
  });

  it("purges a mailbox under a hold when it does not know which product provided it", () => {
    const { providedBy: _, ...unknownProvider } = retainedMailbox();
    const start = user({ litigationHold: true, provisioning: provisioning({ mailbox: unknownProvider }) });
    expect(expire(start, mailboxEntry, dueTime)?.provisioning.mailbox.state).toBe("Purged");
  });

  it("does not change the user it was given", () => {
    const start = withRetainedMailbox({ litigationHold: true });
    const copy = structuredClone(start);
    expire(start, mailboxEntry, dueTime);
    expect(start).toEqual(copy);
  });
});

describe("expiring a deleted user's retention (R18, R20)", () => {
  const purgeTime = msAfterDue(60_000);

  it("does nothing before the due time", () => {
    expect(expire(deletedUser(), userEntry, msBeforeDue(1))).toBeUndefined();
  });

  it("purges the user: purgedAt set, documents purged, Office installs cleared, mailbox purged", () => {
    const result = expire(deletedUser(), userEntry, purgeTime);
    expect(result?.purgedAt).toBe(purgeTime.toISOString());
    expect(result?.deletedAt).toBe(deletedAt);
    expect(result?.provisioning.documents).toBe("Purged");
    expect(result?.provisioning.officeInstalls).toEqual([]);
    expect(result?.provisioning.mailbox).toEqual({ state: "Purged", sizeGB: 0 });
  });

  it("purges at exactly the due time", () => {
    expect(expire(deletedUser(), userEntry, dueTime)?.purgedAt).toBe(due);
  });

  it("purges a mailbox that is still Active (a shared mailbox, or one the worker has not retained yet)", () => {
    const deleted = deletedUser(
      { mailboxType: "Shared" },
      { state: "Active", dataId: "data-shared", sizeGB: 20 },
    );
    expect(expire(deleted, userEntry, purgeTime)?.provisioning.mailbox).toEqual({
      state: "Purged",
      sizeGB: 0,
    });
  });

  it("keeps an E3 mailbox Inactive under a litigation hold, data kept, no retention (R19)", () => {
    const result = expire(deletedUser({ litigationHold: true }), userEntry, purgeTime);
    expect(result?.purgedAt).toBe(purgeTime.toISOString());
    expect(result?.provisioning.mailbox).toEqual({
      state: "Inactive",
      dataId: "data-old",
      sizeGB: 12.5,
      providedBy: e3.skuId,
    });
    expect(result?.provisioning.documents).toBe("Purged");
  });

  it("purges a Business Standard mailbox even under a litigation hold", () => {
    const deleted = deletedUser(
      { litigationHold: true },
      retainedMailbox({ providedBy: businessStandard.skuId }),
    );
    expect(expire(deleted, userEntry, purgeTime)?.provisioning.mailbox).toEqual({
      state: "Purged",
      sizeGB: 0,
    });
  });

  it("leaves a mailbox that never existed, and documents that never existed, as they were", () => {
    const deleted = user({ deletedAt, retainedUntil: due });
    const result = expire(deleted, userEntry, purgeTime);
    expect(result?.provisioning.mailbox).toEqual({ state: "None", sizeGB: 0 });
    expect(result?.provisioning.documents).toBe("None");
    expect(result?.purgedAt).toBe(purgeTime.toISOString());
  });

  it("does nothing when the user was restored", () => {
    const { deletedAt: _d, retainedUntil: _r, ...restored } = deletedUser();
    expect(expire(restored, userEntry, purgeTime)).toBeUndefined();
  });

  it("does nothing for a user that is not deleted, even one with a matching retention time", () => {
    const { deletedAt: _d, ...notDeleted } = deletedUser();
    expect(expire(notDeleted, userEntry, purgeTime)).toBeUndefined();
  });

  it("does nothing when the user is already purged", () => {
    expect(expire(deletedUser({ purgedAt: due }), userEntry, purgeTime)).toBeUndefined();
  });

  it("does nothing when the user was restored and deleted again (a new due time)", () => {
    const again = deletedUser({
      deletedAt: "2024-06-10T00:00:00.000Z",
      retainedUntil: "2024-07-10T00:00:00.000Z",
    });
    expect(expire(again, userEntry, purgeTime)).toBeUndefined();
  });

  it("leaves the mailbox entry with nothing to do once the user entry purged the mailbox", () => {
    const purged = expire(deletedUser(), userEntry, purgeTime);
    expect(purged).toBeDefined();
    if (purged) expect(expire(purged, mailboxEntry, purgeTime)).toBeUndefined();
  });
});

describe("expiring at any time (property)", () => {
  const offsetArbitrary = fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 });

  it("applies an entry exactly from its due time on, and only once", () => {
    fc.assert(
      fc.property(
        offsetArbitrary,
        fc.constantFrom(mailboxEntry, userEntry),
        fc.boolean(),
        (offset, entry, hold) => {
          const start = deletedUser({ litigationHold: hold });
          const at = new Date(dueTime.getTime() + offset);
          const result = expire(start, entry, at);
          expect(result === undefined).toBe(offset < 0);
          if (result) expect(expire(result, entry, at)).toBeUndefined();
        },
      ),
    );
  });
});

describe("whether a deleted user can be restored (R20)", () => {
  it("is true strictly before the retention ends", () => {
    expect(isRestorable(deletedUser(), new Date(deletedAt))).toBe(true);
    expect(isRestorable(deletedUser(), msBeforeDue(1))).toBe(true);
  });

  it("is false at the moment the retention ends, and after", () => {
    expect(isRestorable(deletedUser(), dueTime)).toBe(false);
    expect(isRestorable(deletedUser(), msAfterDue(1))).toBe(false);
  });

  it("is false for a purged user, even before the due time", () => {
    expect(isRestorable(deletedUser({ purgedAt: deletedAt }), msBeforeDue(1))).toBe(false);
  });

  it("is false for a user that is not deleted", () => {
    expect(isRestorable(user(), msBeforeDue(1))).toBe(false);
    expect(isRestorable(user({ retainedUntil: due }), msBeforeDue(1))).toBe(false);
  });

  it("agrees with the clock for any time (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 }), (offset) => {
        expect(isRestorable(deletedUser(), new Date(dueTime.getTime() + offset))).toBe(offset < 0);
      }),
    );
  });
});

describe("what eDiscovery sees of a mailbox (R19)", () => {
  it.each<[MailboxState, ReturnType<typeof eDiscovery>]>([
    ["Active", "Searchable"],
    ["Inactive", "SearchableAsInactiveMailbox"],
    ["Retained", "NotSearchable"],
    ["Purged", "NotSearchable"],
    ["None", "NotSearchable"],
  ])("a %s mailbox is %s", (state, expected) => {
    expect(eDiscovery({ state, dataId: "data-old", sizeGB: 1 })).toBe(expected);
  });

  it("makes an E3 mailbox under a hold searchable again as an inactive mailbox once its retention ends", () => {
    const start = withRetainedMailbox({ litigationHold: true });
    expect(eDiscovery(start.provisioning.mailbox)).toBe("NotSearchable");
    const result = expire(start, mailboxEntry, dueTime);
    expect(result && eDiscovery(result.provisioning.mailbox)).toBe("SearchableAsInactiveMailbox");
  });
});
