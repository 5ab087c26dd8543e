// The local host's non-HTTP triggers: Service Bus queue functions run on the SDK's receiver (against
// the local broker), timer functions on NCRONTAB schedules. Settlement follows the Functions host:
// return completes, a thrown error abandons (redelivered, dead-lettered at maxDeliveryCount).
//
// Settlements go one at a time per receiver: rhea 3.0.5 (under @azure/service-bus) merges the first
// two dispositions pending in one tick into one frame with the first one's outcome, so two messages
// settled together could swap fates (a failed message completed, a handled one abandoned).
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

/**
 * Runs settlements one after another: the SDK's settle promise resolves when the broker has
 * answered, so at most one disposition is ever pending and none can be merged with another.
 */
function settlementQueue(): <T>(settle: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (settle) => {
    const next = last.then(settle);
    last = next.catch(() => undefined);
    return next;
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
              await settle(() => receiver.abandonMessage(message));
              return;
            }
            await settle(() => receiver.completeMessage(message));
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
