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
      /** Path segments to serve `options.route` under (`withRoutePrefixes`); none once expanded. */
      readonly prefixes?: readonly string[];
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

/**
 * Each HTTP function once per route prefix, for a host whose own prefix is empty (host.json
 * `routePrefix: ""`): `users/{id}` with prefixes `api` and `v1.0` becomes `getUser` on
 * `api/users/{id}` and `getUser_v1_0` on `v1.0/users/{id}`, one handler for both. The first prefix
 * keeps the function's name; a name stays a valid Azure function name (letters, digits, `_`, `-`).
 */
export function withRoutePrefixes(definitions: readonly FunctionDefinition[]): FunctionDefinition[] {
  return definitions.flatMap((definition): FunctionDefinition[] => {
    if (definition.kind !== "http" || definition.prefixes === undefined) return [definition];
    const { prefixes, ...unprefixed } = definition;
    return prefixes.map((prefix, index) => ({
      ...unprefixed,
      name: index === 0 ? definition.name : `${definition.name}_${prefix.replace(/[^A-Za-z0-9]/g, "_")}`,
      options: { ...definition.options, route: `${prefix}/${definition.options.route}` },
    }));
  });
}
