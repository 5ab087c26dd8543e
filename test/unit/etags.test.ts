// ETag and If-Match as HTTP spells them (shared/http/etags.ts): versions go out as opaque weak tags
// and come back, weakly compared; a header outside RFC 9110's grammar is a 400.
import { describe, expect, it } from "vitest";
import { entityTag, entityTagPattern, ifMatchHeaders } from "../../shared/http/etags.js";
import { validate } from "../../shared/http/validation.js";
import { problemFrom } from "../support/problem.js";

const tableVersion = `W/"datetime'2026-11-22T09%3A00%3A00.1234567Z'"`;
const ifMatch = (value: string) => validate(ifMatchHeaders, { "If-Match": value }, "headers")["If-Match"];

describe("ETags", () => {
  it("sends a storage version as an opaque weak tag that matches the documented pattern", () => {
    const tag = entityTag(tableVersion);
    expect(tag).toMatch(new RegExp(entityTagPattern));
    expect(tag).not.toContain("datetime");
  });

  it("reads back the version from the tag, weak or not, alone or among others", () => {
    const tag = entityTag(tableVersion);
    expect(ifMatch(tag)).toEqual([tableVersion]);
    expect(ifMatch(tag.slice(2))).toEqual([tableVersion]);
    expect(ifMatch(` "x1", ${tag} `)).toContain(tableVersion);
    expect(ifMatch("*")).toBe("*");
  });

  it("reads a well-formed tag this service never made as naming no version", () => {
    expect(ifMatch('"not-base64!"')).toEqual([]);
    expect(ifMatch('W/"abc"')).toEqual([]);
  });

  it("refuses a malformed If-Match with ValidationFailed naming the header", () => {
    for (const value of ["abc", '"unterminated', "W/abc", "", "*, *", '"a" "b"', 'W/"a",']) {
      const problem = problemFrom(() => ifMatch(value));
      expect(problem.code, value).toBe("ValidationFailed");
      expect(problem.detail, value).toMatch(/If-Match/);
    }
  });

  it("leaves If-Match out when it is not sent", () => {
    expect(validate(ifMatchHeaders, {}, "headers")["If-Match"]).toBeUndefined();
  });
});
