// GET /api/console/config (public, no token), read once per page load and shared by what needs it:
// how to sign in (auth/sign-in.tsx) and how long data is kept (components/data-loss.tsx). A failed
// read is not kept, so the next caller asks again.
import { createApiClient } from "./client.js";
import type { components } from "./schema.js";

export type ConsoleConfig = components["schemas"]["ConsoleConfig"];

let read: Promise<ConsoleConfig | undefined> | undefined;

/** The console's settings, or undefined when the service could not give them. */
export function consoleConfig(): Promise<ConsoleConfig | undefined> {
  read ??= createApiClient({ token: () => undefined, onUnauthorized: () => {} })
    .GET("/api/console/config")
    .then(({ data }) => data)
    .catch(() => undefined)
    .then((config) => {
      if (!config) read = undefined;
      return config;
    });
  return read;
}
