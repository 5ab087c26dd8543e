// The ports a use case works with, built once per process by shared/composition.ts.

import type { KeyedLock } from "../concurrency/keyed-lock.js";
import type { CloudEvent } from "../domain/events.js";
import type { ChunkPolicy } from "../domain/stalled-chunks.js";
import type {
  OutboxStorePort,
  RejectedEventsPort,
  RetentionIndexPort,
  TenantRecordsPort,
  TenantWrite,
  UnfinishedJobsPort,
  WrittenVersions,
} from "./ports.js";

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

/** Sends committed events to the queue (Service Bus in Azure, the local broker here). */
export interface EventPublisher {
  publish(events: readonly CloudEvent[]): Promise<void>;
}

/**
 * The transactional outbox (shared/messaging/outbox.ts): commits writes with their events all-or-nothing, then
 * sends the events; the sweep sends what a crash left behind.
 */
export interface TransactionalOutbox {
  commit(
    tenantId: string,
    writes: readonly TenantWrite[],
    events: readonly CloudEvent[],
  ): Promise<WrittenVersions>;
  sweep(limit?: number): Promise<{ readonly tenants: number; readonly sent: number }>;
  /** Waits for background sends and clean-up (tests and shutdown). */
  flush(): Promise<void>;
}

/** One user to bring in line, and when their licenses changed (the event's time), if known. */
export interface ProvisioningRequest {
  readonly userId: string;
  readonly changedAt?: Date | undefined;
}

/** Hands single users' provisioning over in batches per tenant (group-commit.ts); answers whether the user changed. */
export interface ProvisioningBatcher {
  submit(tenantId: string, request: ProvisioningRequest): Promise<boolean>;
}

export interface Deps {
  /** The tenant's records and the transaction that changes them together. */
  readonly store: TenantRecordsPort;
  /** Retention entries by due day, with the sweep's cursor (R18–R20). */
  readonly retention: RetentionIndexPort;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Serialises one process's writes to a tenant, so they do not race each other's ETags. */
  readonly tenantLock: KeyedLock;
  readonly logger: Logger;
  readonly outbox: TransactionalOutbox;
  /** The outbox's rows and markers, which `outbox` commits with and sweeps. */
  readonly outboxStore: OutboxStorePort;
  /**
   * Provisions single users, gathering those of one tenant that arrive together into one
   * transaction (keyed by tenant; answers whether the user changed).
   */
  readonly provisioning: ProvisioningBatcher;
  /** Queue events the worker rejected, by tenant (GET /api/events/rejected). */
  readonly rejectedEvents: RejectedEventsPort;
  /** How long unlicensed or deleted users' data is kept (R18, R20). */
  readonly retentionPeriodMs: number;
  /** The bulk jobs not known to be finished, for the watchdog. */
  readonly unfinishedJobs: UnfinishedJobsPort;
  /** When the watchdog sends a stalled bulk chunk again, and when it gives up. */
  readonly chunkPolicy: ChunkPolicy;
}

/**
 * The lock key of work that touches one user's record only (provisioning, Office installs): it
 * need not wait for the tenant's seat changes; the user's ETag settles any race with them.
 */
export const userLockKey = (tenantId: string, userId: string): string => `${tenantId}/${userId}`;
