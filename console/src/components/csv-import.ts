// Users named in a CSV file, for the Bulk page's import: RFC 4180 (quoted fields, "" for a quote,
// line breaks inside quotes), UTF-8 with or without a BOM, `,` or `;` between fields (Excel in
// Sweden, Denmark and Norway writes `;`), a header row naming the column of user names (the admin
// center's export names it "User principal name", "Username", "Användarnamn" …) or of object ids.
// Pure: text in, rows out, each with the line it starts on, so nothing is dropped without a word.

/** One record of the file: its fields and the (1-based) line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: readonly string[];
}

/**
 * The records of a CSV text. The delimiter is `;` when the first line has more `;` than `,` outside
 * quotes, else `,`. Blank lines are skipped. `unterminated` is the line of a quote never closed: the
 * records before it are kept, nothing after it is read.
 */
export function csvRecords(text: string): {
  readonly delimiter: "," | ";";
  readonly records: readonly CsvRecord[];
  readonly unterminated?: number;
} {
  const source = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const delimiter = delimiterOf(source);
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || (fields[0] ?? "").trim() !== "") records.push({ line: recordLine, fields });
    fields = [];
    field = "";
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
    } else if (char === '"' && field.trim() === "") {
      // A quote opens a quoted field only at its start (spaces before it, as Excel never writes but
      // people do, are dropped); elsewhere it is an ordinary character.
      field = "";
      quoted = true;
      quoteLine = line;
    } else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[i + 1] === "\n") i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += char;
  }
  if (quoted) return { delimiter, records, unterminated: quoteLine };
  if (field !== "" || fields.length > 0) endRecord();
  return { delimiter, records };
}

function delimiterOf(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char === ",") commas++;
    else if (!quoted && char === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** A header's name compared without case, spaces, hyphens, underscores or dots. */
const normalized = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s\-_.]/g, "");

/**
 * Column names of user names, in the order preferred: Graph's property, then the admin center's
 * export in English, Swedish, Danish and Norwegian ("Username", "Användarnamn", …).
 */
const nameColumns = [
  "userprincipalname",
  "username",
  "upn",
  "signinname",
  "användarnamn",
  "användarenshuvudnamn",
  "brugernavn",
  "brugerenshovednavn",
  "brukernavn",
  "brukerhovednavn",
].map(normalized);
/** Column names of object ids: Graph's `id`, the admin center's "Object ID". */
const idColumns = ["id", "objectid", "objekt-id", "userid"].map(normalized);

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Loose on purpose: the API says whether a name exists; this only catches what cannot be one. */
const namePattern = /^[^\s@"<>]+@[^\s@"<>]+\.[^\s@"<>]+$/;

/** Whether a value can name a user at all: a userPrincipalName's shape, or an object id. */
export const isUserKey = (value: string): boolean => guidPattern.test(value) || namePattern.test(value);

/** A line the import does not take, and why. */
export type CsvProblem =
  | { readonly line: number; readonly kind: "noName" }
  | { readonly line: number; readonly kind: "malformed"; readonly value: string }
  | { readonly line: number; readonly kind: "repeated"; readonly value: string; readonly first: number }
  | { readonly line: number; readonly kind: "unterminated" };

export type CsvUsers =
  | {
      /** The header of the column read ("" for a file of names without a header). */
      readonly column: string;
      /** Each distinct user key (a UPN or an id) with the line it is on, in the file's order. */
      readonly rows: readonly { readonly line: number; readonly value: string }[];
      readonly problems: readonly CsvProblem[];
    }
  | { readonly failure: "empty" }
  | { readonly failure: "noColumn"; readonly header: readonly string[] };

/**
 * The users a CSV file names: the column of user names (else of ids) the header names; a file with
 * no header whose first line is one user name or id is read as a list of them. Every line not taken
 * is a problem with its line number: no name, not a name, or a name listed before.
 */
export function csvUsers(text: string): CsvUsers {
  const { records, unterminated } = csvRecords(text);
  const [header, ...body] = records;
  if (!header) {
    return unterminated === undefined
      ? { failure: "empty" }
      : { column: "", rows: [], problems: [{ line: unterminated, kind: "unterminated" }] };
  }
  const names = header.fields.map(normalized);
  const index = (columns: readonly string[]) =>
    columns.map((column) => names.indexOf(column)).find((found) => found >= 0);
  const nameIndex = index(nameColumns);
  const idIndex = index(idColumns);
  const headerless =
    nameIndex === undefined &&
    idIndex === undefined &&
    header.fields.length === 1 &&
    isUserKey(header.fields[0]?.trim() ?? "");
  if (nameIndex === undefined && idIndex === undefined && !headerless) {
    return { failure: "noColumn", header: header.fields.map((name) => name.trim()) };
  }

  const rows: { line: number; value: string }[] = [];
  const problems: CsvProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const record of headerless ? records : body) {
    const at = (column: number | undefined) =>
      column === undefined ? "" : (record.fields[column] ?? "").trim();
    const value = headerless ? at(0) : at(nameIndex) || at(idIndex);
    const key = value.toLowerCase();
    const first = firstLine.get(key);
    if (!value) problems.push({ line: record.line, kind: "noName" });
    else if (!isUserKey(value)) problems.push({ line: record.line, kind: "malformed", value });
    else if (first !== undefined) problems.push({ line: record.line, kind: "repeated", value, first });
    else {
      firstLine.set(key, record.line);
      rows.push({ line: record.line, value });
    }
  }
  if (unterminated !== undefined) problems.push({ line: unterminated, kind: "unterminated" });
  const column = headerless ? "" : (header.fields[nameIndex ?? idIndex ?? 0] ?? "").trim();
  return { column, rows, problems };
}
