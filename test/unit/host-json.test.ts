// host.json settles and spreads queue messages the way the worker's code expects.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { serviceBusConcurrency } from "../../shared/function-definition.js";

const hostJson = JSON.parse(readFileSync(new URL("../../host.json", import.meta.url), "utf8")) as {
  extensions: { serviceBus: { maxConcurrentCalls: number; autoCompleteMessages: boolean } };
};

describe("host.json", () => {
  it("completes a message when the worker returns (else Azure would leave every message unsettled)", () => {
    expect(hostJson.extensions.serviceBus.autoCompleteMessages).toBe(true);
  });

  it("handles as many messages at once as the provisioning group commit gathers", () => {
    expect(hostJson.extensions.serviceBus.maxConcurrentCalls).toBe(serviceBusConcurrency);
  });
});
