import { randomUUID } from "node:crypto";
import { compoundItems, encode, mapEntries, SECTION, splitSections } from "./amqp-codec.js";
import { type LockToken, newLockToken } from "./lock-token.js";

export interface QueueSettings {
  maxDeliveryCount: number;
  lockDurationMs: number;
  duplicateDetectionWindowMs: number;
}

/** A receiving link as the queue sees it. */
export interface Consumer {
  readonly receiveAndDelete: boolean;
  /** How many more deliveries the link can take right now. */
  capacity(): number;
  /** `lock.token` is meaningful only in peek-lock mode. */
  deliver(payload: Buffer, lock: LockToken): void;
}

export type Outcome =
  | { kind: "complete" }
  | { kind: "abandon"; properties?: Record<string, unknown> | undefined }
  | {
      kind: "deadLetter";
      reason?: string | undefined;
      description?: string | undefined;
      properties?: Record<string, unknown> | undefined;
    };

interface StoredMessage {
  seq: number;
  /** The encoded message_id, the duplicate-detection key. */
  messageId: string;
  enqueuedAt: number;
  /** Deliveries so far; sent as header.delivery_count on the next one. */
  deliveries: number;
  /** The sender's durable, priority, ttl and first-acquirer header fields. */
  header: Buffer[];
  /** The sender's message annotations, minus the ones the broker owns. */
  annotations: Array<[string, Buffer]>;
  properties: Buffer;
  applicationProperties: Buffer | undefined;
  /** Body and footer, byte for byte. */
  rest: Buffer;
  deadLetterSource?: string;
}

interface Lock {
  message: StoredMessage;
  lockedUntil: number;
  timer: NodeJS.Timeout;
}

const BROKER_ANNOTATIONS = new Set([
  "x-opt-sequence-number",
  "x-opt-enqueued-time",
  "x-opt-locked-until",
  "x-opt-deadletter-source",
]);

export class Queue {
  private readonly ready: StoredMessage[] = [];
  private readonly locks = new Map<string, Lock>();
  private readonly consumers: Consumer[] = [];
  /** messageId key → expiry of its duplicate-detection window, in insertion (= expiry) order. */
  private readonly seen = new Map<string, number>();
  private nextSeq = 1;
  private nextConsumer = 0;

  constructor(
    readonly name: string,
    private readonly settings: QueueSettings,
    private readonly deadLetterQueue?: Queue,
  ) {}

  /** Stores one encoded message; false when it was a duplicate (accepted by the caller, dropped here). */
  enqueue(raw: Buffer): boolean {
    const message = this.parse(raw);
    if (this.settings.duplicateDetectionWindowMs > 0) {
      const key = message.messageId;
      const now = Date.now();
      for (const [k, expiry] of this.seen) {
        if (expiry > now) break;
        this.seen.delete(k);
      }
      if (this.seen.has(key)) return false;
      this.seen.set(key, now + this.settings.duplicateDetectionWindowMs);
    }
    this.ready.push(message);
    this.pump();
    return true;
  }

  addConsumer(consumer: Consumer): void {
    this.consumers.push(consumer);
    this.pump();
  }

  removeConsumer(consumer: Consumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i >= 0) this.consumers.splice(i, 1);
  }

  /** Hands ready messages to consumers with credit, round robin. */
  pump(): void {
    while (this.ready.length > 0) {
      const consumer = this.pickConsumer();
      const message = consumer && this.ready.shift();
      if (!consumer || !message) return;
      const lock = newLockToken();
      if (consumer.receiveAndDelete) {
        consumer.deliver(this.encodeMessage(message, undefined), lock);
        continue;
      }
      const lockedUntil = Date.now() + this.settings.lockDurationMs;
      const payload = this.encodeMessage(message, lockedUntil);
      message.deliveries++;
      this.locks.set(lock.token, { message, lockedUntil, timer: this.lockTimer(lock.token) });
      consumer.deliver(payload, lock);
    }
  }

  /** False when the lock is unknown or expired. */
  settle(token: string, outcome: Outcome): boolean {
    const lock = this.locks.get(token);
    if (!lock) return false;
    clearTimeout(lock.timer);
    this.locks.delete(token);
    const { message } = lock;
    if (outcome.kind === "abandon") {
      if (outcome.properties) setApplicationProperties(message, encodeProperties(outcome.properties));
      this.retry(message);
    } else if (outcome.kind === "deadLetter") {
      const extra = encodeProperties(outcome.properties ?? {});
      if (outcome.reason !== undefined) extra.push(["DeadLetterReason", encode.string(outcome.reason)]);
      if (outcome.description !== undefined) {
        extra.push(["DeadLetterErrorDescription", encode.string(outcome.description)]);
      }
      this.deadLetter(message, extra);
    }
    return true;
  }

  /** The new expiry, or undefined when the lock is gone. */
  renewLock(token: string): number | undefined {
    const lock = this.locks.get(token);
    if (!lock) return undefined;
    clearTimeout(lock.timer);
    lock.lockedUntil = Date.now() + this.settings.lockDurationMs;
    lock.timer = this.lockTimer(token);
    return lock.lockedUntil;
  }

  /** Encoded messages (ready or locked) from a sequence number on, without taking locks. */
  peek(fromSeq: number, count: number): Buffer[] {
    return [...this.ready, ...[...this.locks.values()].map((l) => l.message)]
      .filter((m) => m.seq >= fromSeq)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, count)
      .map((m) => this.encodeMessage(m, undefined));
  }

  stats(): { active: number; locked: number; deadLettered: number } {
    const dlq = this.deadLetterQueue;
    return {
      active: this.ready.length,
      locked: this.locks.size,
      deadLettered: dlq ? dlq.ready.length + dlq.locks.size : 0,
    };
  }

  close(): void {
    for (const lock of this.locks.values()) clearTimeout(lock.timer);
    this.locks.clear();
  }

  private lockTimer(token: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const lock = this.locks.get(token);
      if (!lock) return;
      this.locks.delete(token);
      this.retry(lock.message);
    }, this.settings.lockDurationMs);
    timer.unref();
    return timer;
  }

  /** Back to the queue in sequence order, or to the DLQ once out of delivery attempts. */
  private retry(message: StoredMessage): void {
    if (message.deliveries >= this.settings.maxDeliveryCount) {
      this.deadLetter(message, [
        ["DeadLetterReason", encode.string("MaxDeliveryCountExceeded")],
        [
          "DeadLetterErrorDescription",
          encode.string(`Message could not be consumed after ${message.deliveries} delivery attempts.`),
        ],
      ]);
      return;
    }
    let lo = 0;
    let hi = this.ready.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ready[mid]?.seq ?? 0) < message.seq) lo = mid + 1;
      else hi = mid;
    }
    this.ready.splice(lo, 0, message);
    this.pump();
  }

  private deadLetter(message: StoredMessage, properties: Array<[string, Buffer]>): void {
    // Dead-lettering from the DLQ itself has nowhere to go: the message is dropped.
    const dlq = this.deadLetterQueue;
    if (!dlq) return;
    setApplicationProperties(message, properties);
    message.deadLetterSource = this.name;
    message.seq = dlq.nextSeq++;
    dlq.ready.push(message);
    dlq.pump();
  }

  private parse(raw: Buffer): StoredMessage {
    const message: StoredMessage = {
      seq: this.nextSeq++,
      messageId: "",
      enqueuedAt: Date.now(),
      deliveries: 0,
      header: [],
      annotations: [],
      properties: Buffer.alloc(0),
      applicationProperties: undefined,
      rest: Buffer.alloc(0),
    };
    const rest: Buffer[] = [];
    let props: Buffer[] = [];
    for (const section of splitSections(raw)) {
      const copy = Buffer.from(section.bytes);
      if (section.code === SECTION.header) {
        message.header = compoundItems(section.value)
          .slice(0, 4)
          .map((b) => Buffer.from(b));
      } else if (section.code === SECTION.messageAnnotations) {
        message.annotations = mapEntries(section.value)
          .filter(([k]) => !BROKER_ANNOTATIONS.has(k))
          .map(([k, v]) => [k, Buffer.from(v)]);
      } else if (section.code === SECTION.properties) {
        message.properties = copy;
        props = compoundItems(section.value);
      } else if (section.code === SECTION.applicationProperties) {
        message.applicationProperties = copy;
      } else if (section.code !== SECTION.deliveryAnnotations) {
        rest.push(copy);
      }
    }
    message.rest = Buffer.concat(rest);
    // The SDK's lock renewer keys messages by messageId: stamp one when the sender left it empty.
    if (props[0] === undefined || props[0][0] === 0x40) {
      props[0] = encode.string(randomUUID().replace(/-/g, ""));
      message.properties = encode.section(SECTION.properties, encode.list(props));
    }
    message.messageId = props[0].toString("hex");
    return message;
  }

  private encodeMessage(message: StoredMessage, lockedUntil: number | undefined): Buffer {
    const header = [...message.header];
    while (header.length < 4) header.push(encode.null());
    header.push(encode.uint(message.deliveries));
    const annotations: Array<[string, Buffer]> = [
      ...message.annotations,
      ["x-opt-sequence-number", encode.long(message.seq)],
      ["x-opt-enqueued-time", encode.timestamp(message.enqueuedAt)],
    ];
    if (lockedUntil !== undefined) annotations.push(["x-opt-locked-until", encode.timestamp(lockedUntil)]);
    if (message.deadLetterSource !== undefined) {
      annotations.push(["x-opt-deadletter-source", encode.string(message.deadLetterSource)]);
    }
    return Buffer.concat([
      encode.section(SECTION.header, encode.list(header)),
      encode.section(SECTION.messageAnnotations, encode.map(annotations, true)),
      message.properties,
      message.applicationProperties ?? Buffer.alloc(0),
      message.rest,
    ]);
  }

  private pickConsumer(): Consumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const consumer = this.consumers[(this.nextConsumer + i) % n];
      if (consumer && consumer.capacity() > 0) {
        this.nextConsumer = (this.nextConsumer + i + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }
}

function encodeProperties(properties: Record<string, unknown>): Array<[string, Buffer]> {
  return Object.entries(properties).map(([k, v]) => [k, encode.value(v)]);
}

/** Adds or replaces application properties; the other entries keep their bytes. */
function setApplicationProperties(message: StoredMessage, updates: Array<[string, Buffer]>): void {
  if (updates.length === 0) return;
  const keys = new Set(updates.map(([k]) => k));
  const value = message.applicationProperties && splitSections(message.applicationProperties)[0]?.value;
  const current = value ? mapEntries(value) : [];
  const merged = [...current.filter(([k]) => !keys.has(k)), ...updates];
  message.applicationProperties = encode.section(SECTION.applicationProperties, encode.map(merged, false));
}
