// Binds a handler to a schedule, as httpFunction binds one to a route: it gets the services, waits
// until storage is usable, and hands the handler its deps. An error is thrown on to the host, which
// logs it; the next tick runs again.
import type { InvocationContext, Timer } from "@azure/functions";
import { getServices } from "../composition.js";
import type { FunctionDefinition } from "../function-definition.js";
import type { Deps } from "../usecases/deps.js";

export interface TimerInput {
  readonly timer: Timer;
  readonly context: InvocationContext;
  readonly deps: Deps;
}

export function timerFunction(
  binding: { readonly name: string; readonly schedule: string },
  handler: (input: TimerInput) => Promise<void>,
): FunctionDefinition {
  return {
    kind: "timer",
    name: binding.name,
    options: {
      schedule: binding.schedule,
      handler: async (timer: Timer, context: InvocationContext): Promise<void> => {
        const services = getServices();
        await services.ready();
        await handler({ timer, context, deps: services.deps });
      },
    },
  };
}
