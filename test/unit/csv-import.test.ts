// The Bulk page's CSV import (console/src/components/csv-import.ts), pure: RFC 4180 records, `,` or
// `;`, a BOM, the admin center's column names, and every line not taken named with its line number.
import { describe, expect, it } from "vitest";
import { csvRecords, csvUsers } from "../../console/src/components/csv-import.js";

const guid = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("csvRecords", () => {
  it("reads quoted fields with delimiters, doubled quotes and line breaks, and counts lines", () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\nlast,1\n';
    const { delimiter, records } = csvRecords(text);
    expect(delimiter).toBe(",");
    expect(records).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["x, y", 'say "hi"'] },
      { line: 3, fields: ["two\nlines", "z"] },
      { line: 6, fields: ["last", "1"] },
    ]);
  });

  it("takes `;` when the header has more of them than commas, and drops a BOM", () => {
    const { delimiter, records } = csvRecords('\uFEFFName;Användarnamn\n"Öberg, Åsa";asa@contoso.example');
    expect(delimiter).toBe(";");
    expect(records).toEqual([
      { line: 1, fields: ["Name", "Användarnamn"] },
      { line: 2, fields: ["Öberg, Åsa", "asa@contoso.example"] },
    ]);
  });

  it("says on which line a quote is never closed, keeping the records before it", () => {
    const { records, unterminated } = csvRecords('upn\na@contoso.example\n"b@contoso.example\nc\n');
    expect(records).toEqual([
      { line: 1, fields: ["upn"] },
      { line: 2, fields: ["a@contoso.example"] },
    ]);
    expect(unterminated).toBe(3);
  });
});

describe("csvUsers", () => {
  it("reads the admin center's Swedish export, `;`-separated with a BOM", () => {
    const text = [
      "\uFEFFVisningsnamn;Användarnamn;Avdelning",
      '"Öberg; Åsa";asa.oberg@contoso.example;Försäljning',
      'Björn Ström;bjorn.strom@contoso.example;"Ekonomi ""Nord"""',
    ].join("\r\n");
    expect(csvUsers(text)).toEqual({
      column: "Användarnamn",
      rows: [
        { line: 2, value: "asa.oberg@contoso.example" },
        { line: 3, value: "bjorn.strom@contoso.example" },
      ],
      problems: [],
    });
  });

  it.each(["userPrincipalName", "User principal name", "Username", "User name", "Brugernavn", "Brukernavn"])(
    "finds the user names under %j",
    (header) => {
      const result = csvUsers(`Display name,${header}\nAnn,ann@contoso.example\n`);
      expect(result).toMatchObject({ column: header, rows: [{ line: 2, value: "ann@contoso.example" }] });
    },
  );

  it("reads an Object ID column, and an id where a row's user name is empty", () => {
    expect(csvUsers(`Object ID\n${guid}\n`)).toMatchObject({ rows: [{ line: 2, value: guid }] });
    expect(csvUsers(`userPrincipalName,id\n,${guid}\nann@contoso.example,\n`)).toMatchObject({
      column: "userPrincipalName",
      rows: [
        { line: 2, value: guid },
        { line: 3, value: "ann@contoso.example" },
      ],
    });
  });

  it("names each line it does not take: no name, not a name, listed before, a quote never closed", () => {
    const text = [
      "userPrincipalName,Department",
      "ann@contoso.example,Sales",
      ",Sales",
      "not a name,Sales",
      "ANN@contoso.example,Sales",
      '"bo@contoso.example,Sales',
    ].join("\n");
    expect(csvUsers(text)).toEqual({
      column: "userPrincipalName",
      rows: [{ line: 2, value: "ann@contoso.example" }],
      problems: [
        { line: 3, kind: "noName" },
        { line: 4, kind: "malformed", value: "not a name" },
        { line: 5, kind: "repeated", value: "ANN@contoso.example", first: 2 },
        { line: 6, kind: "unterminated" },
      ],
    });
  });

  it("reads a file without a header whose first line is a user name", () => {
    expect(csvUsers("ann@contoso.example\nbo@contoso.example\n")).toEqual({
      column: "",
      rows: [
        { line: 1, value: "ann@contoso.example" },
        { line: 2, value: "bo@contoso.example" },
      ],
      problems: [],
    });
  });

  it("refuses a file with no column of user names, naming its header, and an empty file", () => {
    expect(csvUsers("Name;Department\nAnn;Sales\n")).toEqual({
      failure: "noColumn",
      header: ["Name", "Department"],
    });
    expect(csvUsers("\uFEFF\r\n\r\n")).toEqual({ failure: "empty" });
  });
});
