// The local host's non-HTTP triggers: Service Bus queue functions run on the SDK's receiver (against
// the local broker), timer functions on NCRONTAB schedules. Settlement follows the Functions host:
// return completes, a thrown error abandons (redelivered, dead-lettered at maxDeliveryCount).
//
// Settlements of different outcomes never overlap on a receiver: rhea 3.0.5 (under
// @azure/service-bus) merges the first two dispositions pending in one tick into one frame with the
// first one's outcome, so two messages settled together could swap fates (a failed message
// completed, a handled one abandoned).
import { randomUUID } from "node:crypto";
import functionsLibrary, { type Timer } from "@azure/functions";
import type { ServiceBusClient, ServiceBusReceiver } from "@azure/service-bus";
import { Cron } from "croner";
import { type FunctionDefinition, serviceBusConcurrency } from "../shared/function-definition.js";

const { InvocationContext } = functionsLibrary;

export interface TriggerOptions {
  readonly functions: readonly FunctionDefinition[];
  readonly serviceBus: ServiceBusClient;
  /** Resolves an app setting named in a binding, as `%PROVISIONING_QUEUE%`. */
  readonly setting: (name: string) => string | undefined;
  readonly verbose?: boolean;
  readonly maxConcurrentCalls?: number;
}

export interface RunningTriggers {
  close(): Promise<void>;
}

function resolve(value: string, setting: TriggerOptions["setting"]): string {
  return value.replace(/%(\w+)%/g, (_, name: string) => {
    const resolved = setting(name);
    if (resolved === undefined) throw new Error(`binding names app setting ${name}, which is not set`);
    return resolved;
  });
}

type Outcome = "complete" | "abandon";

/**
 * Lets only settlements of one outcome be pending at a time: a run of completions goes at once
 * (rhea merges them into one range with the right outcome), and an abandon waits until the broker
 * has answered every completion before it (the SDK's settle promise resolves on that answer), and
 * the other way round. Strictly one at a time made the fan-out 2–4× slower (bench/fanout.ts).
 */
function settlementQueue(): <T>(outcome: Outcome, settle: () => Promise<T>) => Promise<T> {
  let last: { outcome: Outcome; ready: Promise<unknown>; pending: Set<Promise<unknown>> } | undefined;
  return (outcome, settle) => {
    if (last?.outcome !== outcome) {
      const before = last;
      last = {
        outcome,
        // Closed now: the new run waits for exactly what is pending in the one before.
        ready: before ? before.ready.then(() => Promise.allSettled([...before.pending])) : Promise.resolve(),
        pending: new Set(),
      };
    }
    const { ready, pending } = last;
    const settled = ready.then(settle);
    const tracked = settled.catch(() => undefined);
    pending.add(tracked);
    void tracked.then(() => pending.delete(tracked));
    return settled;
  };
}

function contextFor(name: string, verbose: boolean | undefined, triggerMetadata: Record<string, unknown>) {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName: name,
    triggerMetadata,
    logHandler: (level, ...args) => {
      if (verbose || level === "error") console[level === "error" ? "error" : "log"](`[${name}]`, ...args);
    },
  });
}

export function startTriggers(options: TriggerOptions): RunningTriggers {
  const receivers: ServiceBusReceiver[] = [];
  const jobs: Cron[] = [];
  for (const definition of options.functions) {
    if (definition.kind === "serviceBusQueue") {
      const queueName = resolve(definition.options.queueName ?? "", options.setting);
      const receiver = options.serviceBus.createReceiver(queueName);
      receivers.push(receiver);
      const settle = settlementQueue();
      receiver.subscribe(
        {
          processMessage: async (message) => {
            const context = contextFor(definition.name, options.verbose, {
              messageId: message.messageId,
              deliveryCount: message.deliveryCount,
              enqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString(),
            });
            try {
              await definition.options.handler(message.body, context);
            } catch (error) {
              if (options.verbose) console.error(`[${definition.name}]`, error);
              await settle("abandon", () => receiver.abandonMessage(message));
              return;
            }
            await settle("complete", () => receiver.completeMessage(message));
          },
          processError: async ({ error }) => {
            if (options.verbose) console.error(`[${definition.name}] receiver:`, error.message);
          },
        },
        {
          autoCompleteMessages: false,
          maxConcurrentCalls: options.maxConcurrentCalls ?? serviceBusConcurrency,
        },
      );
    } else if (definition.kind === "timer") {
      const schedule = resolve(definition.options.schedule, options.setting);
      let last = new Date();
      const job = new Cron(
        schedule,
        { mode: "6-part", domAndDow: true, timezone: "UTC", protect: true },
        async (self: Cron) => {
          const context = contextFor(definition.name, options.verbose, {});
          const now = new Date();
          const timer: Timer = {
            isPastDue: false,
            schedule: { adjustForDST: false },
            scheduleStatus: {
              last: last.toISOString(),
              next: self.nextRun()?.toISOString() ?? "",
              lastUpdated: now.toISOString(),
            },
          };
          last = now;
          try {
            await definition.options.handler(timer, context);
          } catch (error) {
            console.error(`[${definition.name}] failed:`, error);
          }
        },
      );
      jobs.push(job);
    }
  }
  return {
    async close() {
      for (const job of jobs) job.stop();
      await Promise.all(receivers.map((r) => r.close()));
    },
  };
}
