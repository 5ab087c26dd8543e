// A CSV file as RFC 4180 writes it (comma-separated, CRLF line ends, a field with a comma, a quote or
// a line break quoted and its quotes doubled), behind a UTF-8 byte order mark so that Excel reads
// å, ä and ö, under a dated name. Pure; download-file.ts hands it to the browser.

/**
 * A field that starts like a formula (`=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading
 * apostrophe, so a spreadsheet shows a name such as "=HYPERLINK(…)" as text instead of running it
 * (OWASP's advice against CSV injection).
 */
const asText = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

const field = (value: string): string => {
  const text = asText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** The file's text: a header row and the rows, each a list of fields. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(field).join(",")).join("\r\n")}\r\n`;
}

/** "users-2026-12-06.csv": the name and the local date. */
export function datedFileName(name: string, date: Date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${name}-${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}.csv`;
}
