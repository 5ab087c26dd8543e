// The Table Storage adapter against Azurite: values beyond one property's 32K characters, and the
// ETag guard that the seat invariant rests on.
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { emptyLedger } from "../../shared/domain/seats.js";
import { ConcurrencyConflict } from "../../shared/storage/conflict.js";
import { TenantStore } from "../../shared/storage/tenant-store.js";

let store: TenantStore;
beforeAll(async () => {
  const client = TableClient.fromConnectionString(
    inject("tablesConnection"),
    `s${randomUUID().replaceAll("-", "")}`,
    {
      allowInsecureConnection: true,
    },
  );
  await client.createTable();
  store = new TenantStore(client);
});

describe("the tenant store", () => {
  it("keeps an audit record whose before and after run past one property's 32K characters", async () => {
    const tenantId = randomUUID();
    const before = Array.from({ length: 3000 }, (_, i) => ({ userId: randomUUID(), index: i }));
    const after = before.map((entry) => ({ ...entry, changed: true }));
    expect(JSON.stringify(before).length).toBeGreaterThan(100_000);
    await store.commit(tenantId, [
      {
        kind: "audit",
        record: {
          id: randomUUID(),
          at: new Date().toISOString(),
          actorId: "t",
          action: "big",
          target: "job/x",
          before,
          after,
        },
      },
    ]);
    const [record] = await store.listAudit(tenantId);
    expect(record?.before).toEqual(before);
    expect(record?.after).toEqual(after);
  });

  it("refuses, as a ConcurrencyConflict, a ledger write based on a stale ETag", async () => {
    const tenantId = randomUUID();
    const skuId = randomUUID();
    await store.commit(tenantId, [{ kind: "putLedger", ledger: { ...emptyLedger(skuId), enabledAdmin: 5 } }]);
    const read = await store.getLedger(tenantId, skuId);
    if (!read) throw new Error("no ledger");
    await store.commit(tenantId, [
      { kind: "putLedger", ledger: { ...read.value, consumed: 1 }, etag: read.etag },
    ]);
    await expect(
      store.commit(tenantId, [
        { kind: "putLedger", ledger: { ...read.value, consumed: 2 }, etag: read.etag },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect((await store.getLedger(tenantId, skuId))?.value.consumed).toBe(1);
  });
});
