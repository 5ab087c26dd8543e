// The ports a use case works with, built once per process by shared/composition.ts.
import type { TenantStore } from "../storage/tenant-store.js";
import type { KeyedLock } from "./keyed-lock.js";

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, properties?: Record<string, unknown>): void;
  warn(message: string, properties?: Record<string, unknown>): void;
  error(message: string, properties?: Record<string, unknown>): void;
}

export interface Deps {
  readonly store: TenantStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Serialises one process's writes to a tenant, so they do not race each other's ETags. */
  readonly tenantLock: KeyedLock;
  readonly logger: Logger;
}
