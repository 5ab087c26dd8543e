// Telling Table Storage failures apart (shared/storage/conflict.ts), on errors shaped as the SDK
// throws them (test/integration/table-client.test.ts checks them against Azurite's own).
import { RestError } from "@azure/data-tables";
import { describe, expect, it } from "vitest";
import {
  isConflict,
  isEntityNotFound,
  isTableNotFound,
  storageErrorCodeOf,
} from "../../shared/storage/conflict.js";

/** A single operation's failure: the code only in its details (header and parsed body). */
const single = (statusCode: number, code: string) =>
  Object.assign(new RestError(`{"odata.error":{"code":"${code}"}}`, { statusCode }), {
    details: { errorCode: code, odataError: { code } },
  });
/** The same without the `x-ms-error-code` header: the code from the body alone. */
const bodyOnly = (statusCode: number, code: string) =>
  Object.assign(new RestError("failed", { statusCode }), { details: { odataError: { code } } });
/** A transaction's failure: the failed operation's code on the error itself. */
const transaction = (statusCode: number, code: string) => new RestError("0:failed", { statusCode, code });

const shapes = { single, bodyOnly, transaction };

describe("Table Storage failures", () => {
  for (const [shape, error] of Object.entries(shapes)) {
    it(`a missing table (${shape}) is neither a missing entity nor a conflict`, () => {
      const missingTable = error(404, "TableNotFound");
      expect(storageErrorCodeOf(missingTable)).toBe("TableNotFound");
      expect(isTableNotFound(missingTable)).toBe(true);
      expect(isEntityNotFound(missingTable)).toBe(false);
      expect(isConflict(missingTable)).toBe(false);
    });

    it(`a missing entity (${shape}) is a conflict on a conditional write`, () => {
      const missingEntity = error(404, "ResourceNotFound");
      expect(isTableNotFound(missingEntity)).toBe(false);
      expect(isEntityNotFound(missingEntity)).toBe(true);
      expect(isConflict(missingEntity)).toBe(true);
    });

    it(`a stale ETag (412) and an existing key (409) (${shape}) are conflicts, not missing anything`, () => {
      for (const lost of [error(412, "UpdateConditionNotSatisfied"), error(409, "EntityAlreadyExists")]) {
        expect(isConflict(lost)).toBe(true);
        expect(isTableNotFound(lost)).toBe(false);
        expect(isEntityNotFound(lost)).toBe(false);
      }
    });
  }

  it("a 404 that names no code is a missing entity, as before", () => {
    const bare = new RestError("not found", { statusCode: 404 });
    expect(isEntityNotFound(bare)).toBe(true);
    expect(isConflict(bare)).toBe(true);
  });

  it("anything else is none of these", () => {
    for (const other of [
      new RestError("busy", { statusCode: 503, code: "ServerBusy" }),
      new RestError("bad", { statusCode: 400, code: "InvalidInput" }),
      Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
      undefined,
      "TableNotFound",
    ]) {
      expect(isConflict(other)).toBe(false);
      expect(isTableNotFound(other)).toBe(false);
      expect(isEntityNotFound(other)).toBe(false);
    }
  });
});
