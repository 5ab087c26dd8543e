// Starts the emulators once for the whole run; test files read their addresses with `inject`.
import type { TestProject } from "vitest/node";
import { startAzurite } from "../local/azurite.js";

declare module "vitest" {
  export interface ProvidedContext {
    tablesConnection: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite({ port: 0, inMemory: true });
  project.provide("tablesConnection", azurite.connectionString);
  return async () => {
    await azurite.stop();
  };
}
