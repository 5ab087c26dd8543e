import { uuidToString } from "./lock-token.js";
import type { Outcome, Queue } from "./queue.js";

export interface ManagementReply {
  statusCode: number;
  statusDescription: string;
  errorCondition?: string;
  body?: Record<string, unknown>;
}

const ok = (body: Record<string, unknown>): ManagementReply => ({
  statusCode: 200,
  statusDescription: "OK",
  body,
});

const lockLost = (): ManagementReply => ({
  statusCode: 410,
  statusDescription: "The lock supplied is invalid: it has expired or the message was already settled.",
  errorCondition: "com.microsoft:message-lock-lost",
});

const notImplemented = (what: string): ManagementReply => ({
  statusCode: 501,
  statusDescription: `${what} is not supported by the local broker.`,
  errorCondition: "amqp:not-implemented",
});

/** Answers a request sent to `<queue>/$management`; the body arrives decoded by rhea. */
export function handleManagement(queue: Queue, operation: unknown, body: unknown): ManagementReply {
  switch (operation) {
    case "com.microsoft:renew-lock": {
      const expirations: Date[] = [];
      for (const token of lockTokens(body)) {
        const until = queue.renewLock(token);
        if (until === undefined) return lockLost();
        expirations.push(new Date(until));
      }
      return ok({ expirations });
    }
    case "com.microsoft:update-disposition": {
      const outcome = dispositionOutcome(body);
      if (!outcome) return notImplemented(`Disposition '${String(field(body, "disposition-status"))}'`);
      for (const token of lockTokens(body)) {
        if (!queue.settle(token, outcome)) return lockLost();
      }
      return ok({});
    }
    case "com.microsoft:peek-message": {
      const from = field(body, "from-sequence-number");
      const count = field(body, "message-count");
      const messages = queue.peek(typeof from === "number" ? from : 1, typeof count === "number" ? count : 1);
      if (messages.length === 0) return { statusCode: 204, statusDescription: "No Content" };
      return ok({ messages: messages.map((message) => ({ message })) });
    }
    default:
      return notImplemented(`Operation '${String(operation)}'`);
  }
}

function dispositionOutcome(body: unknown): Outcome | undefined {
  const properties = record(field(body, "properties-to-modify"));
  switch (field(body, "disposition-status")) {
    case "completed":
      return { kind: "complete" };
    case "abandoned":
      return { kind: "abandon", properties };
    case "suspended":
      return {
        kind: "deadLetter",
        reason: stringOrUndefined(field(body, "deadletter-reason")),
        description: stringOrUndefined(field(body, "deadletter-description")),
        properties,
      };
    default:
      return undefined;
  }
}

function lockTokens(body: unknown): string[] {
  const tokens = field(body, "lock-tokens");
  return Array.isArray(tokens) ? tokens.filter((t) => Buffer.isBuffer(t)).map(uuidToString) : [];
}

export function field(o: unknown, key: string): unknown {
  return typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined;
}

export function record(o: unknown): Record<string, unknown> | undefined {
  return typeof o === "object" && o !== null && !Array.isArray(o)
    ? (o as Record<string, unknown>)
    : undefined;
}

export function stringOrUndefined(o: unknown): string | undefined {
  return typeof o === "string" ? o : undefined;
}
