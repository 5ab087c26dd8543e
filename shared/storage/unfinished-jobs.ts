// The index of bulk jobs not known to be finished, across tenants: the watchdog reads this one
// partition instead of every tenant's. Like the outbox markers, an entry is written before the
// commit that creates its job (a transaction cannot span two partitions), so an entry may name a
// job that never came to be; the watchdog drops it then, and drops a job's entry once it is done.
import { odata, type TableClient } from "@azure/data-tables";
import type { UnfinishedJob, UnfinishedJobsPort } from "../usecases/ports.js";
import { isEntityNotFound } from "./conflict.js";

/** Tenant ids are GUIDs, so this key cannot collide with a tenant's partition. */
const partition = "~jobs";
/** Oldest first: a run that stops at its limit has looked at the jobs waiting longest. */
const rowKey = (job: UnfinishedJob) => `${job.createdAt}|${job.tenantId}|${job.jobId}`;

export class UnfinishedJobs implements UnfinishedJobsPort {
  constructor(private readonly client: TableClient) {}

  async add(job: UnfinishedJob): Promise<void> {
    await this.client.upsertEntity({ partitionKey: partition, rowKey: rowKey(job), ...job }, "Replace");
  }

  /** Up to `limit` entries, oldest first. */
  async list(limit: number): Promise<UnfinishedJob[]> {
    const jobs: UnfinishedJob[] = [];
    const pages = this.client
      .listEntities<Record<string, unknown>>({
        queryOptions: { filter: odata`PartitionKey eq ${partition}` },
      })
      .byPage({ maxPageSize: Math.min(limit, 1000) });
    for await (const page of pages) {
      for (const entity of page) {
        const { tenantId, jobId, createdAt } = entity;
        if (typeof tenantId === "string" && typeof jobId === "string" && typeof createdAt === "string")
          jobs.push({ tenantId, jobId, createdAt });
      }
      if (jobs.length >= limit) break;
    }
    return jobs.slice(0, limit);
  }

  /** One already gone is fine (another watchdog run got there first). */
  async remove(job: UnfinishedJob): Promise<void> {
    await this.client.deleteEntity(partition, rowKey(job)).catch((error: unknown) => {
      if (!isEntityNotFound(error)) throw error;
    });
  }
}
