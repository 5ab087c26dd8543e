// What a function module exports: its name, trigger and options. functions/registry.ts lists them
// once for both the Functions entry point and the local host.
import type {
  HttpFunctionOptions,
  HttpMethod,
  ServiceBusQueueFunctionOptions,
  TimerFunctionOptions,
} from "@azure/functions";

export type FunctionDefinition =
  | {
      readonly kind: "http";
      readonly name: string;
      readonly options: HttpFunctionOptions & { readonly route: string; readonly methods: HttpMethod[] };
    }
  | { readonly kind: "timer"; readonly name: string; readonly options: TimerFunctionOptions }
  | {
      readonly kind: "serviceBusQueue";
      readonly name: string;
      readonly options: ServiceBusQueueFunctionOptions;
    };

/**
 * How many queue messages one instance handles at once: host.json's
 * `extensions.serviceBus.maxConcurrentCalls` in Azure, and the local host's receiver here.
 */
export const serviceBusConcurrency = 16;
