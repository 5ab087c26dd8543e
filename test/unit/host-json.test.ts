// host.json settles and spreads queue messages the way the worker's code expects.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serviceBusConcurrency } from "../../shared/function-definition.js";

const hostJson = JSON.parse(readFileSync(new URL("../../host.json", import.meta.url), "utf8")) as {
  extensions: {
    http: { routePrefix: string };
    serviceBus: { maxConcurrentCalls: number; autoCompleteMessages: boolean };
  };
};

describe("host.json", () => {
  it("completes a message when the worker returns (else Azure would leave every message unsettled)", () => {
    expect(hostJson.extensions.serviceBus.autoCompleteMessages).toBe(true);
  });

  // Each HTTP function's route carries its own prefix (api/..., v1.0/...): functions/registry.ts.
  it("adds no route prefix of its own, so that routes can be served under /api and /v1.0", () => {
    expect(hostJson.extensions.http.routePrefix).toBe("");
  });

  it("handles as many messages at once as the provisioning group commit gathers", () => {
    expect(hostJson.extensions.serviceBus.maxConcurrentCalls).toBe(serviceBusConcurrency);
  });
});
