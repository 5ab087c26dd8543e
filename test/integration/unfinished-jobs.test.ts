// The index of unfinished bulk jobs against Azurite: one partition read oldest first, up to a limit,
// and removals that tolerate a row already gone.
import { randomUUID } from "node:crypto";
import { TableClient } from "@azure/data-tables";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { UnfinishedJobs } from "../../shared/storage/unfinished-jobs.js";

let index: UnfinishedJobs;
beforeAll(async () => {
  const client = TableClient.fromConnectionString(
    inject("tablesConnection"),
    `j${randomUUID().replaceAll("-", "")}`,
    { allowInsecureConnection: true },
  );
  await client.createTable();
  index = new UnfinishedJobs(client);
});

describe("the index of unfinished jobs", () => {
  it("lists its jobs oldest first, up to the limit, and forgets a removed one twice without error", async () => {
    const job = (minute: number) => ({
      tenantId: randomUUID(),
      jobId: randomUUID(),
      createdAt: new Date(Date.UTC(2026, 10, 22, 9, minute)).toISOString(),
    });
    const jobs = [job(30), job(10), job(20)];
    for (const j of jobs) await index.add(j);
    await index.add(jobs[0] ?? job(0)); // written again: still one row

    expect((await index.list(10)).map((j) => j.createdAt.slice(11, 16))).toEqual(["09:10", "09:20", "09:30"]);
    expect(await index.list(2)).toEqual([jobs[1], jobs[2]]);

    await index.remove(jobs[1] ?? job(0));
    await index.remove(jobs[1] ?? job(0));
    expect(await index.list(10)).toEqual([jobs[2], jobs[0]]);
  });
});
