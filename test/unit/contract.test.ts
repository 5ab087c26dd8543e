// The check every end-to-end response goes through (test/support/contract.ts) finds what it must.
import { describe, expect, it } from "vitest";
import { contractViolations, type ReceivedResponse } from "../support/contract.js";

const id = "6b1e2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const subscription = {
  id,
  skuId: "f245ecc8-75af-4f8e-b61f-27d8114de5f3",
  skuPartNumber: "O365_BUSINESS_PREMIUM",
  seats: 5,
  status: "Enabled",
  purchaseChannel: "Admin",
  createdAt: "2026-11-22T09:00:00.000Z",
};
const problem = (status: number, code: string) => ({
  type: `urn:license-service:problem:${code}`,
  title: "t",
  status,
  detail: "d",
  code,
  error: {
    code,
    message: "d",
    innerError: { date: "2026-11-22T09:00:00", "request-id": id, "client-request-id": "script-1" },
  },
});

function received(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): ReceivedResponse {
  const json = status >= 400 && status !== 503 ? "application/problem+json" : "application/json";
  // What every response carries.
  const always = {
    "request-id": id,
    "client-request-id": "script-1",
    date: "Sun, 22 Nov 2026 09:00:00 GMT",
  };
  return {
    method,
    path,
    status,
    headers: new Headers(
      body === undefined ? { ...always, ...headers } : { "content-type": json, ...always, ...headers },
    ),
    text: body === undefined ? "" : JSON.stringify(body),
  };
}

describe("the OpenAPI check of a response", () => {
  it("accepts a response as documented", () => {
    const entity = { "@odata.context": "https://h/api/$metadata#subscriptions/$entity", ...subscription };
    const created = received("POST", "/api/subscriptions", 201, entity, {
      location: `/api/subscriptions/${id}`,
      etag: 'W/"djE"',
    });
    expect(contractViolations(created)).toEqual([]);
    expect(contractViolations(received("DELETE", `/api/users/${id}`, 204, undefined))).toEqual([]);
  });

  it("refuses a status the operation does not document", () => {
    const [message] = contractViolations(received("GET", "/api/skus", 409, problem(409, "Conflict")));
    expect(message).toMatch(/status 409 is not documented for operation listSkus/);
  });

  it("refuses a property the schema does not have, and a missing required one", () => {
    const extra = received("GET", "/api/subscriptions", 200, { value: [{ ...subscription, extra: 1 }] });
    expect(contractViolations(extra).join()).toMatch(/must NOT have additional properties/);
    const { seats: _, ...missing } = subscription;
    expect(
      contractViolations(received("GET", "/api/subscriptions", 200, { value: [missing] })).join(),
    ).toMatch(/must have required property 'seats'/);
  });

  it("refuses an undocumented content type, a body where none is documented and a missing Location", () => {
    const wrongType = received("GET", `/api/users/${id}`, 404, problem(404, "NotFound"), {
      "content-type": "text/plain",
    });
    expect(contractViolations(wrongType).join()).toMatch(/content type "text\/plain" is not documented/);
    const asJson = received("GET", `/api/users/${id}`, 404, problem(404, "NotFound"), {
      "content-type": "application/json",
    });
    expect(contractViolations(asJson)).toEqual([]);
    expect(contractViolations(received("DELETE", `/api/users/${id}`, 204, {})).join()).toMatch(
      /a body is sent, but 204 documents none/,
    );
    const created = received("POST", "/api/subscriptions", 201, subscription);
    expect(contractViolations(created).join()).toMatch(/required header Location is missing/);
    expect(contractViolations(created).join()).toMatch(/must have required property '@odata.context'/);
    const user = received("GET", `/api/users/${id}`, 200, {});
    expect(contractViolations(user).join()).toMatch(/required header ETag is missing/);
    const withoutRequestId = received("GET", "/api/skus", 200, {
      "@odata.context": "http://h/api/$metadata#skus",
      value: [],
    });
    withoutRequestId.headers.delete("request-id");
    expect(contractViolations(withoutRequestId).join()).toMatch(/required header request-id is missing/);
  });

  it("refuses a problem whose code does not belong to its status", () => {
    const wrong = received("GET", `/api/users/${id}`, 404, problem(404, "Conflict"));
    expect(contractViolations(wrong).join()).toMatch(/must be equal to one of the allowed values/);
  });

  it("holds paths no route serves to NotFound, and other methods of a path to MethodNotAllowed", () => {
    expect(contractViolations(received("GET", "/api/nothing", 404, problem(404, "NotFound")))).toEqual([]);
    expect(
      contractViolations(received("GET", "/api/users/not-a-guid", 404, problem(404, "NotFound"))),
    ).toEqual([]);
    const notAllowed = received("PUT", "/api/users", 405, problem(405, "MethodNotAllowed"), {
      allow: "GET, POST",
    });
    expect(contractViolations(notAllowed)).toEqual([]);
    expect(
      contractViolations(received("PUT", "/api/users", 405, problem(405, "MethodNotAllowed"))).join(),
    ).toMatch(/required header Allow is missing/);
    expect(contractViolations(received("PUT", "/api/users", 200, {})).join()).toMatch(
      /status 200 is not documented/,
    );
  });
});
