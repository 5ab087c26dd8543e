// The one builder of error responses: Graph's envelope, content negotiation and the headers every
// error carries.
import { describe, expect, it } from "vitest";
import { ProblemError } from "../../shared/domain/problem.js";
import { internalProblem, problemContentType, problemResponse } from "../../shared/http/problem-response.js";

const requestId = "6b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b";

describe("problemResponse", () => {
  it("answers problem+json only to a caller whose Accept names it, at least as much as application/json", () => {
    expect(problemContentType(undefined)).toBe("application/json");
    expect(problemContentType("*/*")).toBe("application/json");
    expect(problemContentType("application/*")).toBe("application/json");
    expect(problemContentType("application/json")).toBe("application/json");
    expect(problemContentType("application/problem+json")).toBe("application/problem+json");
    expect(problemContentType("Application/Problem+JSON; charset=utf-8")).toBe("application/problem+json");
    expect(problemContentType("application/problem+json;q=0")).toBe("application/json");
    expect(problemContentType("application/json, application/problem+json;q=0.5")).toBe("application/json");
    expect(problemContentType("application/json;q=0.5, application/problem+json")).toBe(
      "application/problem+json",
    );
  });

  it("gives every 429 and 503 a Retry-After, keeping the producer's own", () => {
    const headersOf = (error: ProblemError) => problemResponse(error, { requestId }).headers;
    expect(headersOf(new ProblemError("TooManyRequests", "busy"))["Retry-After"]).toBe("1");
    expect(headersOf(new ProblemError("ServiceUnavailable", "down"))["Retry-After"]).toBe("5");
    expect(
      headersOf(new ProblemError("ServiceUnavailable", "down", undefined, { "Retry-After": "9" }))[
        "Retry-After"
      ],
    ).toBe("9");
    expect(headersOf(new ProblemError("NotFound", "gone"))).not.toHaveProperty("Retry-After");
  });

  it("puts errors into Graph's details, and leaks nothing of a 500", () => {
    const count = problemResponse(
      new ProblemError("CountViolation", "2 more needed", [{ skuId: "s", requested: 3, available: 1 }]),
      { requestId, clientRequestId: "mine" },
    );
    expect(count.headers).toMatchObject({ "request-id": requestId, "client-request-id": "mine" });
    expect(JSON.parse(count.body).error).toMatchObject({
      code: "CountViolation",
      message: "2 more needed",
      innerError: { "request-id": requestId, "client-request-id": "mine" },
      details: [{ code: "CountViolation", message: "skuId: s, requested: 3, available: 1", target: "s" }],
    });

    const internal = JSON.parse(internalProblem({ requestId }).body);
    expect(internal).toMatchObject({
      detail: "An unexpected error occurred.",
      instance: `urn:invocation:${requestId}`,
      error: { code: "Internal", message: "An unexpected error occurred." },
    });
  });
});
