// The ports count a commit's actions without knowing the table (actionsPerWrite); the adapter's
// encoding must agree, or a commit the use cases think fits would fail at 100 actions.
import { describe, expect, it } from "vitest";
import { cloudEvent } from "../../shared/domain/events.js";
import { emptyLedger } from "../../shared/domain/seats.js";
import { emptyProfile } from "../../shared/domain/user-profile.js";
import { toActions } from "../../shared/storage/entity-encoding.js";
import { actionsPerWrite, outboxRows, type TenantWrite } from "../../shared/usecases/ports.js";
import { skus } from "../support/catalog-ids.js";

const user = {
  id: "u1",
  userPrincipalName: "u1@contoso.example",
  displayName: "U1",
  accountEnabled: true,
  mailNickname: "u1",
  profile: emptyProfile,
  userType: "Member",
  mailboxType: "User",
  assignedLicenses: [],
  provisioning: {},
  litigationHold: false,
  createdAt: "2024-01-01T00:00:00.000Z",
} as unknown as Extract<TenantWrite, { kind: "createUser" }>["user"];

const group = {
  id: "g",
  displayName: "G",
  mailNickname: "g",
  description: null,
  createdAt: "2024-01-01T00:00:00.000Z",
  assignedLicenses: [],
  licenseVersion: 0,
  licensesReachGuests: false,
};

const oneOfEach: readonly TenantWrite[] = [
  { kind: "createUser", user },
  { kind: "updateUser", user, etag: "e" },
  { kind: "putLedger", ledger: emptyLedger(skus.e3) },
  {
    kind: "putSubscription",
    subscription: {
      id: "s",
      skuId: skus.e3,
      seats: 1,
      status: "Enabled",
      purchaseChannel: "Admin",
      createdAt: "2024-01-01T00:00:00.000Z",
      selfServiceConsumed: 0,
    },
  },
  { kind: "addHolder", skuId: skus.e3, userId: "u1" },
  { kind: "removeHolder", skuId: skus.e3, userId: "u1" },
  {
    kind: "audit",
    record: {
      id: "a",
      at: "2024-01-01T00:00:00.000Z",
      actorId: "x",
      action: "y",
      target: "z",
      before: null,
      after: null,
    },
  },
  {
    kind: "outbox",
    row: { id: "e", events: [] },
  },
  { kind: "releaseUserPrincipalName", userPrincipalName: "u1@contoso.example" },
  { kind: "createJob", job: { id: "j" } as Extract<TenantWrite, { kind: "createJob" }>["job"] },
  {
    kind: "putChunk",
    chunk: { jobId: "j", index: 0, userIds: ["u1"], results: [] },
  },
  { kind: "createIdempotencyKey", keyHash: "h", jobId: "j", requestHash: "r" },
  { kind: "createGroup", group },
  { kind: "updateGroup", group, etag: "e" },
  { kind: "deleteGroup", groupId: "g" },
  { kind: "addMember", groupId: "g", userId: "u1" },
  { kind: "removeMember", groupId: "g", userId: "u1" },
  {
    kind: "putOrganization",
    organization: { displayName: "Contoso Sverige AB", countryLetterCode: "SE", createdAt: null },
  },
  {
    kind: "putOrganization",
    organization: { displayName: null, countryLetterCode: null, createdAt: null },
    etag: "e",
  },
  {
    kind: "putLicenseError",
    entry: {
      groupId: "g",
      userId: "u1",
      error: "CountViolation",
      skuIds: ["s"],
      since: "2024-01-01T00:00:00.000Z",
    },
  },
  { kind: "removeLicenseError", groupId: "g", userId: "u1" },
];

describe("actionsPerWrite", () => {
  it("covers every kind of write", () => {
    expect(new Set(oneOfEach.map((w) => w.kind))).toEqual(new Set(Object.keys(actionsPerWrite)));
  });

  it.each(oneOfEach.map((w) => [w.kind, w] as const))("agrees with the table actions of %s", (_, write) => {
    expect(toActions("tenant", write)).toHaveLength(actionsPerWrite[write.kind]);
  });
});

describe("outboxRows", () => {
  const event = (id: string, size = 10) =>
    cloudEvent("license.assigned", id, "2024-01-01T00:00:00.000Z", "users/u", {
      tenantId: "t",
      pad: "x".repeat(size),
    });

  it("puts a commit's events in one row, named by its first event, in order", () => {
    const events = ["a", "b", "c"].map((id) => event(id));
    expect(outboxRows(events)).toEqual([{ id: "a", events }]);
    expect(outboxRows([])).toEqual([]);
  });

  it("starts a new row when the next event would make a row too large for one entity", () => {
    const big = ["a", "b", "c", "d"].map((id) => event(id, 100_000));
    expect(outboxRows(big).map((row) => row.events.map((e) => e.id))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    // Every row fits a Table Storage entity (1 MiB) once encoded.
    for (const row of outboxRows(big)) {
      const [[, entity]] = toActions("tenant", { kind: "outbox", row }) as [[string, object]];
      expect(JSON.stringify(entity).length).toBeLessThan(1_000_000);
    }
  });
});
