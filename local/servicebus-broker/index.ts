// A local AMQP 1.0 broker that the real @azure/service-bus SDK works against unchanged, for
// development and tests (the Service Bus emulator is a Docker image). State lives in memory.
export { MAX_MESSAGE_SIZE, startBroker } from "./broker.js";

export interface QueueConfig {
  name: string;
  /** Deliveries before a message moves to the dead-letter queue. Default 10. */
  maxDeliveryCount?: number | undefined;
  /** Default 60000. */
  lockDurationMs?: number | undefined;
  /** Default 600000; 0 turns duplicate detection off. */
  duplicateDetectionWindowMs?: number;
}

export interface BrokerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  queues: QueueConfig[];
  /** Create a queue with these settings when a client first names one that is not configured (tests). */
  autoCreateQueues?: Omit<QueueConfig, "name">;
  /** Default RootManageSharedAccessKey. */
  sasKeyName?: string | undefined;
  /** Default SAS_KEY_VALUE (the emulator's). */
  sasKey?: string | undefined;
}

export interface QueueStats {
  active: number;
  locked: number;
  deadLettered: number;
}

export interface RunningBroker {
  port: number;
  /** Endpoint=sb://127.0.0.1:<port>;SharedAccessKeyName=...;SharedAccessKey=...;UseDevelopmentEmulator=true; */
  connectionString: string;
  close(): Promise<void>;
  stats(queue: string): QueueStats;
}
