// The storage client against Azurite when its table has gone missing: the errors Azurite answers
// told apart (no table, no entity, a lost race), the table created again once for all the
// requests that found it missing at the same time, and a 503 with Retry-After when it cannot be.
import { randomUUID } from "node:crypto";
import {
  AzureNamedKeyCredential,
  generateTableSas,
  TableClient,
  TableServiceClient,
  type TableTransactionResponse,
} from "@azure/data-tables";
import { describe, expect, inject, it } from "vitest";
import { ProblemError } from "../../shared/domain/problem.js";
import { isConflict, isEntityNotFound, isTableNotFound } from "../../shared/storage/conflict.js";
import { createTableClient } from "../../shared/storage/table-client.js";

const connectionString = inject("tablesConnection");
const newTableName = () => `m${randomUUID().replaceAll("-", "")}`;
const service = () =>
  TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });

/** The service's client of a table of its own, counting the times it found it missing and created it. */
function serviceClient(tableName: string, tables = connectionString) {
  const created = { again: 0 };
  const client = createTableClient(
    {
      tables: { kind: "connectionString", connectionString: tables, tableName },
      managedIdentityClientId: undefined,
    },
    { onTableCreatedAgain: () => created.again++ },
  );
  return { client, created };
}

const failureOf = (call: Promise<unknown>): Promise<unknown> =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

describe("Azurite's errors, told apart", () => {
  it("a missing table is neither a missing entity nor a conflict; a missing entity, a stale ETag and an existing key are conflicts", async () => {
    const raw = TableClient.fromConnectionString(connectionString, newTableName(), {
      allowInsecureConnection: true,
    });
    const entity = { partitionKey: "p", rowKey: "r" };
    const noTable = [
      await failureOf(raw.getEntity("p", "r")),
      await failureOf(raw.upsertEntity(entity, "Replace")),
      await failureOf(raw.submitTransaction([["create", entity]])),
    ];
    for (const error of noTable) {
      expect(isTableNotFound(error), String(error)).toBe(true);
      expect(isEntityNotFound(error)).toBe(false);
      expect(isConflict(error)).toBe(false);
    }

    await raw.createTable();
    const noEntity = [
      await failureOf(raw.getEntity("p", "r")),
      await failureOf(raw.deleteEntity("p", "r")),
      await failureOf(raw.submitTransaction([["update", entity]])),
    ];
    for (const error of noEntity) {
      expect(isTableNotFound(error), String(error)).toBe(false);
      expect(isEntityNotFound(error)).toBe(true);
      expect(isConflict(error)).toBe(true);
    }

    const { etag } = await raw.createEntity(entity);
    await raw.updateEntity(entity, "Replace");
    const lostRaces = [
      await failureOf(raw.updateEntity(entity, "Replace", { etag: etag ?? "" })),
      await failureOf(raw.createEntity(entity)),
      await failureOf(raw.submitTransaction([["create", entity]])),
    ];
    for (const error of lostRaces) {
      expect(isConflict(error), String(error)).toBe(true);
      expect(isTableNotFound(error)).toBe(false);
      expect(isEntityNotFound(error)).toBe(false);
    }
  });
});

describe("the service's storage client when its table is missing", () => {
  it("creates it again once for all the requests that found it missing together, which then succeed", async () => {
    const tableName = newTableName();
    const { client, created } = serviceClient(tableName);
    await client.createTable();
    await client.upsertEntity({ partitionKey: "p", rowKey: "before" }, "Replace");
    // Connections open for all of them, so that all are sent before the table can be created again.
    await Promise.all(Array.from({ length: 15 }, () => client.getEntity("p", "before")));
    await service().deleteTable(tableName);

    const results = await Promise.allSettled([
      client.getEntity("p", "before"),
      client.upsertEntity({ partitionKey: "p", rowKey: "upserted" }, "Replace"),
      client.createEntity({ partitionKey: "p", rowKey: "created" }),
      client.submitTransaction([
        ["create", { partitionKey: "q", rowKey: "1" }],
        ["create", { partitionKey: "q", rowKey: "2" }],
      ]),
      client.listEntities().byPage({ maxPageSize: 10 }).next(),
      ...Array.from({ length: 10 }, (_, i) => client.upsertEntity({ partitionKey: "r", rowKey: `${i}` })),
    ]);
    expect(created.again).toBe(1);
    // The entity written before is gone with its table; everything else went through.
    const [before, ...rest] = results;
    expect(before?.status).toBe("rejected");
    expect(before?.status === "rejected" && isEntityNotFound(before.reason)).toBe(true);
    expect(rest.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(
      rest.map(() => "ok"),
    );
    const keys = [];
    for await (const entity of client.listEntities()) keys.push(`${entity.partitionKey}/${entity.rowKey}`);
    expect(keys).toHaveLength(14);
  });

  it("commits a transaction that was first to find the table missing", async () => {
    const tableName = newTableName();
    const { client, created } = serviceClient(tableName);
    await client.createTable();
    await service().deleteTable(tableName);

    const committed: TableTransactionResponse = await client.submitTransaction([
      ["create", { partitionKey: "p", rowKey: "1" }],
      ["upsert", { partitionKey: "p", rowKey: "2" }, "Replace"],
    ]);
    expect(committed.status).toBe(202);
    expect(created.again).toBe(1);
    expect((await client.getEntity("p", "2")).rowKey).toBe("2");
  });

  it("answers ServiceUnavailable with Retry-After while the table cannot be created, and creates it once it can", async () => {
    const tableName = newTableName();
    // A table SAS may read and write entities but not create the table (as an identity without the right).
    const [, accountKey] = /AccountKey=([^;]+)/.exec(connectionString) ?? [];
    const [, endpoint] = /TableEndpoint=([^;]+)/.exec(connectionString) ?? [];
    const sas = generateTableSas(
      tableName,
      new AzureNamedKeyCredential("devstoreaccount1", accountKey ?? ""),
      {
        permissions: { query: true, add: true, update: true, delete: true },
      },
    );
    const { client, created } = serviceClient(
      tableName,
      `TableEndpoint=${endpoint};SharedAccessSignature=${sas}`,
    );

    // (Azurite refuses any transaction under a table SAS, so single operations only.)
    for (const call of [
      () => client.getEntity("p", "r"),
      () => client.upsertEntity({ partitionKey: "p", rowKey: "r" }, "Replace"),
      () => client.listEntities().byPage({ maxPageSize: 1 }).next(),
    ]) {
      const error = await failureOf(call());
      expect(error).toBeInstanceOf(ProblemError);
      expect(error).toMatchObject({
        code: "ServiceUnavailable",
        status: 503,
        headers: { "Retry-After": "5" },
      });
    }
    expect(created.again).toBe(0);

    await service().createTable(tableName);
    await client.upsertEntity({ partitionKey: "p", rowKey: "r" }, "Replace");
    expect((await client.getEntity("p", "r")).rowKey).toBe("r");
  });
});
