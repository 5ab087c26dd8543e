// Request validation: zod schemas of the API turned into 400s that say what and where, and JSON bodies
// read with size, media type and syntax checks.
import functions from "@azure/functions";
import { describe, expect, it } from "vitest";
import { ProblemError } from "../../shared/domain/problem.js";
import { batchBody } from "../../shared/http/batch-schemas.js";
import {
  assignLicenseBody,
  buySubscriptionBody,
  createUserBody,
  dryRunQuery,
  listUsersQuery,
  memberReferenceBody,
  updateGroupBody,
  updateOrganizationBody,
  updateSubscriptionBody,
  updateUserBody,
} from "../../shared/http/request-schemas.js";
import { maxBodyBytes, readJsonBody, validate } from "../../shared/http/validation.js";
import { problemFrom } from "../support/problem.js";

const { HttpRequest } = functions;

const skuId = "6fd2c87f-b296-42f0-b197-1e91e994b900";
const planId = "57ff2da0-773e-42df-b2af-ffb7a2317929";

async function asyncProblemFrom(action: () => Promise<unknown>): Promise<ProblemError> {
  try {
    await action();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error("expected a ProblemError, but nothing was thrown");
}

describe("validate with the assignLicense body", () => {
  it("applies the defaults: empty lists and no disabled plans", () => {
    expect(validate(assignLicenseBody, { addLicenses: [{ skuId }] }, "body")).toEqual({
      addLicenses: [{ skuId, disabledPlans: [] }],
      removeLicenses: [],
    });
    expect(validate(assignLicenseBody, { removeLicenses: [skuId] }, "body")).toEqual({
      addLicenses: [],
      removeLicenses: [skuId],
    });
  });

  it("rejects an unknown top-level field with a message naming it", () => {
    const problem = problemFrom(() =>
      validate(assignLicenseBody, { addLicenses: [{ skuId }], licences: [], extra: 1 }, "body"),
    );
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ path: "body", message: "unknown field(s) licences, extra" }]);
    expect(problem.detail).toContain("licences, extra");
    expect(problem.detail).toMatch(/^The request body is not valid: /);
  });

  it("rejects an unknown field inside a license with the path of that license", () => {
    const problem = problemFrom(() =>
      validate(assignLicenseBody, { addLicenses: [{ skuId, disabledPlan: [planId] }] }, "body"),
    );
    expect(problem.errors).toEqual([{ path: "addLicenses[0]", message: "unknown field(s) disabledPlan" }]);
  });

  it("points at addLicenses[1].skuId when that skuId is not a GUID", () => {
    const problem = problemFrom(() =>
      validate(assignLicenseBody, { addLicenses: [{ skuId }, { skuId: "ENTERPRISEPACK" }] }, "body"),
    );
    expect(problem.errors).toEqual([{ path: "addLicenses[1].skuId", message: "must be a GUID" }]);
    expect(problem.detail).toContain("addLicenses[1].skuId: must be a GUID");
  });

  it("points into nested arrays: addLicenses[0].disabledPlans[1] and removeLicenses[0]", () => {
    const problem = problemFrom(() =>
      validate(
        assignLicenseBody,
        { addLicenses: [{ skuId, disabledPlans: [planId, "teams"] }], removeLicenses: ["x"] },
        "body",
      ),
    );
    expect(problem.errors?.map((error) => error.path)).toEqual([
      "addLicenses[0].disabledPlans[1]",
      "removeLicenses[0]",
    ]);
  });

  it("rejects a body whose lists are both empty or both missing", () => {
    for (const body of [{}, { addLicenses: [], removeLicenses: [] }]) {
      const problem = problemFrom(() => validate(assignLicenseBody, body, "body"));
      expect(problem.errors).toEqual([
        { path: "addLicenses", message: "addLicenses and removeLicenses cannot both be empty" },
      ]);
    }
  });

  it("rejects a body that is not an object, pointing at the body", () => {
    for (const body of [null, [], "text", 42]) {
      const problem = problemFrom(() => validate(assignLicenseBody, body, "body"));
      expect(problem.errors?.[0]?.path).toBe("body");
    }
  });

  it("rejects more than 50 licenses", () => {
    const many = Array.from({ length: 51 }, () => skuId);
    expect(
      problemFrom(() => validate(assignLicenseBody, { removeLicenses: many }, "body")).errors?.[0]?.path,
    ).toBe("removeLicenses");
  });

  it("summarises at most three errors in the detail but lists them all", () => {
    const body = { addLicenses: [{ skuId: "a" }, { skuId: "b" }, { skuId: "c" }, { skuId: "d" }] };
    const problem = problemFrom(() => validate(assignLicenseBody, body, "body"));
    expect(problem.errors).toHaveLength(4);
    expect(problem.detail).toContain("addLicenses[2].skuId");
    expect(problem.detail).not.toContain("addLicenses[3].skuId");
  });
});

describe("validate with the other schemas", () => {
  it("reads dryRun=true as true and rejects other words, pointing at the query", () => {
    expect(validate(dryRunQuery, { dryRun: "true" }, "query")).toEqual({ dryRun: true });
    expect(validate(dryRunQuery, {}, "query")).toEqual({});
    const problem = problemFrom(() => validate(dryRunQuery, { dryRun: "yes" }, "query"));
    expect(problem.errors?.[0]?.path).toBe("dryRun");
    expect(problem.detail).toMatch(/^The request query is not valid: /);
    expect(problemFrom(() => validate(dryRunQuery, { dry: "true" }, "query")).errors).toEqual([
      { path: "query", message: "unknown field(s) dry" },
    ]);
  });

  it("defaults top to 100 and turns a top of text into a number", () => {
    expect(validate(listUsersQuery, {}, "query").top).toBe(100);
    expect(validate(listUsersQuery, { top: "5", licensed: "false" }, "query")).toEqual({
      top: 5,
      licensed: false,
    });
    expect(problemFrom(() => validate(listUsersQuery, { top: "1000" }, "query")).errors?.[0]?.path).toBe(
      "top",
    );
  });

  it("defaults a new user to an enabled Member with a User mailbox and no licenses", () => {
    expect(
      validate(
        createUserBody,
        { userPrincipalName: "lee.gu@contoso.example", displayName: "Lee Gu" },
        "body",
      ),
    ).toEqual({
      userPrincipalName: "lee.gu@contoso.example",
      displayName: "Lee Gu",
      accountEnabled: true,
      userType: "Member",
      mailboxType: "User",
      licenses: [],
      litigationHold: false,
    });
    expect(
      problemFrom(() => validate(createUserBody, { userPrincipalName: "lee gu", displayName: "Lee" }, "body"))
        .errors?.[0]?.path,
    ).toBe("userPrincipalName");
  });

  it("takes Graph's create-user body, checks its passwordProfile and passes no password on", () => {
    const graphBody = {
      accountEnabled: false,
      displayName: "Adele Vance",
      mailNickname: "AdeleV",
      userPrincipalName: "AdeleV@contoso.example",
      passwordProfile: { forceChangePasswordNextSignIn: true, password: "xWwvJ]6NMw+bWH-d" },
    };
    const parsed = validate(createUserBody, graphBody, "body");
    expect(parsed).toMatchObject({ accountEnabled: false, mailNickname: "AdeleV" });
    expect(parsed).not.toHaveProperty("passwordProfile");
    expect(JSON.stringify(parsed)).not.toContain("xWwvJ");

    for (const [passwordProfile, path] of [
      [{ password: 7 }, "passwordProfile.password"],
      [{ password: "" }, "passwordProfile.password"],
      [
        { password: "p", forceChangePasswordNextSignIn: "yes" },
        "passwordProfile.forceChangePasswordNextSignIn",
      ],
      [{ password: "p", colour: "red" }, "passwordProfile"],
      ["p", "passwordProfile"],
    ] as const) {
      const refused = problemFrom(() => validate(createUserBody, { ...graphBody, passwordProfile }, "body"));
      expect(refused.errors?.[0]?.path, JSON.stringify(passwordProfile)).toBe(path);
      // A refusal names what is wrong, never the password itself.
      expect(refused.detail).not.toContain("xWwvJ");
    }
    const badAlias = problemFrom(() =>
      validate(createUserBody, { ...graphBody, mailNickname: "adele vance" }, "body"),
    );
    expect(badAlias.errors?.[0]).toMatchObject({
      path: "mailNickname",
      message: expect.stringMatching(/spaces/),
    });
  });

  it("buys Admin seats by default and refuses zero seats", () => {
    expect(validate(buySubscriptionBody, { skuId, seats: 25 }, "body").purchaseChannel).toBe("Admin");
    expect(
      problemFrom(() => validate(buySubscriptionBody, { skuId, seats: 0 }, "body")).errors?.[0]?.path,
    ).toBe("seats");
  });

  it("takes a usageLocation of an assigned ISO 3166-1 alpha-2 code in either case, kept upper case", () => {
    const user = { userPrincipalName: "lee@contoso.example", displayName: "Lee" };
    expect(validate(createUserBody, { ...user, usageLocation: "se" }, "body").usageLocation).toBe("SE");
    expect(validate(createUserBody, user, "body").usageLocation).toBeUndefined();
    expect(validate(updateUserBody, { usageLocation: null }, "body")).toEqual({ usageLocation: null });
    for (const usageLocation of ["UK", "EU", "XK", "ZZ", "SWE", "S", "", 46]) {
      const refused = problemFrom(() => validate(createUserBody, { ...user, usageLocation }, "body"));
      expect(refused.code, String(usageLocation)).toBe("ValidationFailed");
      expect(refused.errors?.[0]?.path).toBe("usageLocation");
    }
    expect(problemFrom(() => validate(updateUserBody, { usageLocation: "UK" }, "body")).detail).toBe(
      'The request body is not valid: usageLocation: "UK" is not an ISO 3166-1 alpha-2 country code (two letters, such as SE or US).',
    );
  });

  it("changes the organization's displayName or countryLetterCode, null clearing, and needs one of them", () => {
    expect(validate(updateOrganizationBody, { countryLetterCode: "us" }, "body")).toEqual({
      countryLetterCode: "US",
    });
    expect(validate(updateOrganizationBody, { countryLetterCode: null }, "body")).toEqual({
      countryLetterCode: null,
    });
    expect(
      problemFrom(() => validate(updateOrganizationBody, { countryLetterCode: "XX" }, "body")).errors?.[0]
        ?.path,
    ).toBe("countryLetterCode");
    expect(problemFrom(() => validate(updateOrganizationBody, {}, "body")).code).toBe("ValidationFailed");
  });

  it("needs seats or status to update a subscription", () => {
    expect(validate(updateSubscriptionBody, { status: "Suspended" }, "body")).toEqual({
      status: "Suspended",
    });
    expect(problemFrom(() => validate(updateSubscriptionBody, {}, "body")).errors).toEqual([
      { path: "seats", message: "give seats, status or both" },
    ]);
  });
});

function jsonRequest(body: string | Uint8Array | undefined, headers: Record<string, string> = {}) {
  return new HttpRequest({
    method: "POST",
    url: "http://localhost:7071/api/users/5f1c2a4e-8d3b-4a61-9f0e-2b7c6d5e4f30/assignLicense",
    headers: { "content-type": "application/json", ...headers },
    ...(body === undefined
      ? {}
      : typeof body === "string"
        ? { body: { string: body } }
        : { body: { bytes: body } }),
  });
}

describe("OData annotations in bodies", () => {
  const userUrl = "https://graph.microsoft.com/v1.0/directoryObjects/4f1c8b1e-3c5a-4e8e-9f0a-2b7d6c5e4a31";

  it("keeps an @odata.id the schema declares (a reference) and drops the other annotations", () => {
    const body = validate(memberReferenceBody, { "@odata.id": userUrl, "@odata.type": "#x" }, "body");
    expect(body).toEqual({
      "@odata.id": { set: "directoryObjects", key: "4f1c8b1e-3c5a-4e8e-9f0a-2b7d6c5e4a31" },
    });
  });

  it("drops an @odata.id the schema does not declare, and reads members@odata.bind", () => {
    const body = validate(
      updateGroupBody,
      { "@odata.id": userUrl, displayName: "x", "members@odata.bind": [userUrl] },
      "body",
    );
    expect(body).toEqual({
      displayName: "x",
      "members@odata.bind": [{ set: "directoryObjects", key: "4f1c8b1e-3c5a-4e8e-9f0a-2b7d6c5e4a31" }],
    });
  });

  it("leaves a $batch request's own body as sent: it is checked when dispatched", () => {
    const request = {
      id: "1",
      method: "POST",
      url: "/groups/4f1c8b1e-3c5a-4e8e-9f0a-2b7d6c5e4a31/members/$ref",
      headers: { "Content-Type": "application/json" },
      body: { "@odata.id": userUrl },
    };
    const body = validate(batchBody, { requests: [request], "@odata.type": "#x" }, "body");
    expect(body.requests[0]?.body).toEqual({ "@odata.id": userUrl });
  });
});

describe("readJsonBody", () => {
  it("parses a JSON body", async () => {
    await expect(readJsonBody(jsonRequest(JSON.stringify({ removeLicenses: [skuId] })))).resolves.toEqual({
      removeLicenses: [skuId],
    });
  });

  it.each(["application/json; charset=utf-8", "application/merge-patch+json", "Application/JSON"])(
    "accepts the media type %s",
    async (contentType) => {
      await expect(readJsonBody(jsonRequest("[1]", { "content-type": contentType }))).resolves.toEqual([1]);
    },
  );

  it("accepts a body without a content type", async () => {
    const request = new HttpRequest({
      method: "POST",
      url: "http://localhost:7071/api/users",
      body: { bytes: new TextEncoder().encode('{"a":1}') },
    });
    await expect(readJsonBody(request)).resolves.toEqual({ a: 1 });
  });

  it("refuses malformed JSON with ValidationFailed", async () => {
    const problem = await asyncProblemFrom(() => readJsonBody(jsonRequest('{"addLicenses": [')));
    expect(problem.code).toBe("ValidationFailed");
    expect(problem.detail).toBe("Malformed JSON in request body.");
    expect(problem.errors).toEqual([{ path: "body", message: "not valid JSON" }]);
  });

  it("refuses an empty or blank body with ValidationFailed", async () => {
    for (const body of [undefined, "", "  \n"]) {
      const problem = await asyncProblemFrom(() => readJsonBody(jsonRequest(body)));
      expect(problem.code).toBe("ValidationFailed");
      expect(problem.errors).toEqual([{ path: "body", message: "required" }]);
    }
  });

  it("refuses text/plain with UnsupportedMediaType", async () => {
    const problem = await asyncProblemFrom(() =>
      readJsonBody(jsonRequest("{}", { "content-type": "text/plain" })),
    );
    expect(problem.code).toBe("UnsupportedMediaType");
    expect(problem.status).toBe(415);
    expect(problem.detail).toContain("text/plain");
  });

  it("refuses a declared content-length over 1 MiB before reading the body", async () => {
    const problem = await asyncProblemFrom(() =>
      readJsonBody(jsonRequest("{}", { "content-length": String(maxBodyBytes + 1) })),
    );
    expect(problem.code).toBe("PayloadTooLarge");
    expect(problem.status).toBe(413);
  });

  it("refuses a body over 1 MiB even when no content-length says so", async () => {
    const big = new TextEncoder().encode(JSON.stringify({ pad: "x".repeat(maxBodyBytes) }));
    expect(big.byteLength).toBeGreaterThan(maxBodyBytes);
    const problem = await asyncProblemFrom(() => readJsonBody(jsonRequest(big)));
    expect(problem.code).toBe("PayloadTooLarge");
  });

  it("accepts a body of exactly 1 MiB", async () => {
    const text = JSON.stringify({ pad: "" });
    const exact = JSON.stringify({ pad: "x".repeat(maxBodyBytes - text.length) });
    expect(new TextEncoder().encode(exact).byteLength).toBe(maxBodyBytes);
    await expect(readJsonBody(jsonRequest(exact))).resolves.toHaveProperty("pad");
  });

  it("takes an empty body or {} for a route without a body, refusing anything else", async () => {
    const optional = { required: false };
    for (const body of [undefined, "", " "]) {
      await expect(readJsonBody(jsonRequest(body), optional)).resolves.toBeUndefined();
    }
    await expect(readJsonBody(jsonRequest("{}"), optional)).resolves.toEqual({});
    await expect(
      readJsonBody(jsonRequest(undefined, { "content-type": "text/plain" }), optional),
    ).resolves.toBeUndefined();
    const unknown = await asyncProblemFrom(() => readJsonBody(jsonRequest('{"force":true}'), optional));
    expect(unknown.errors).toEqual([{ path: "body", message: "unknown field(s) force" }]);
    const text = await asyncProblemFrom(() =>
      readJsonBody(jsonRequest("force", { "content-type": "text/plain" }), optional),
    );
    expect(text.code).toBe("UnsupportedMediaType");
    const notObject = await asyncProblemFrom(() => readJsonBody(jsonRequest("[]"), optional));
    expect(notObject.code).toBe("ValidationFailed");
  });

  it("refuses a body that is not valid UTF-8", async () => {
    const problem = await asyncProblemFrom(() =>
      readJsonBody(jsonRequest(new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]))),
    );
    expect(problem.detail).toBe("The request body is not valid UTF-8.");
  });
});
