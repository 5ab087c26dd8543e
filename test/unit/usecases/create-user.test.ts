// createUser against in-memory ports: a user licensed in the same step, all or nothing (R12).
import { describe, expect, it } from "vitest";
import { skus } from "../../support/catalog-ids.js";
import {
  addUser,
  buySeats,
  clearCommits,
  consumed,
  expectProblem,
  kindsOf,
  stored,
  tenantId,
  world,
} from "./fixture.js";

const sku = skus.businessBasic;

describe("createUser", () => {
  it("creates a user licensed in the same commit as the seat, the holder row, the audit line and the event", async () => {
    const w = world();
    await buySeats(w, sku, 2);
    clearCommits(w);

    const user = await addUser(w, "ada", [sku]);
    await w.deps.outbox.flush();

    expect(w.records.commits).toHaveLength(1);
    expect(kindsOf(w)).toEqual(["addHolder", "audit", "createUser", "outbox", "putLedger"]);
    expect((await stored(w, user.id)).assignedLicenses.map((l) => l.skuId)).toEqual([sku]);
    expect(await consumed(w, sku)).toBe(1);
    expect(await w.deps.store.listAllHolderIds(tenantId, sku)).toEqual(new Set([user.id]));
    expect(w.published.map((e) => e.type)).toEqual(["license.assigned"]);
    expect(user.createdAt).toBe("2024-03-01T12:00:00.000Z");
  });

  it("creates an enabled user whose alias is their sign-in name's, with the profile properties given", async () => {
    const w = world();

    const plain = await addUser(w, "ada.l");
    const blocked = await addUser(w, "grace", [], {
      accountEnabled: false,
      mailNickname: "GraceH",
      givenName: "Grace",
      businessPhones: ["+1 555 0100"],
      surname: null,
    });

    expect(await stored(w, plain.id)).toMatchObject({
      accountEnabled: true,
      mailNickname: "ada.l",
      profile: { givenName: null, surname: null, businessPhones: [] },
    });
    expect(await stored(w, blocked.id)).toMatchObject({
      accountEnabled: false,
      mailNickname: "GraceH",
      profile: { givenName: "Grace", surname: null, businessPhones: ["+1 555 0100"] },
    });
  });

  it("refuses a user principal name already taken, in any letter case, and writes nothing", async () => {
    const w = world();
    await addUser(w, "ada");
    clearCommits(w);

    await expectProblem(addUser(w, "ADA"), "Conflict");

    expect(w.records.commits).toEqual([]);
    expect(await w.deps.store.listActiveUserIds(tenantId)).toHaveProperty("size", 1);
  });

  it("creates no user when the license they come with has no seat left", async () => {
    const w = world();
    await buySeats(w, sku, 1);
    await addUser(w, "ada", [sku]);
    clearCommits(w);

    await expectProblem(addUser(w, "bob", [sku]), "CountViolation");

    expect(w.records.commits).toEqual([]);
    expect(await w.deps.store.isUserPrincipalNameTaken(tenantId, "bob@contoso.example")).toBe(false);
    expect(await consumed(w, sku)).toBe(1);
  });
});
