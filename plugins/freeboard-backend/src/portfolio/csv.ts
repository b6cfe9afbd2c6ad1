/*
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted
 * when it holds a comma, quote or line break, quotes doubled), with text
 * made safe for spreadsheets: a text cell that starts with `=`, `+`, `-`,
 * `@`, tab or carriage return would be read as a formula, so it gets a
 * leading `'`. Numbers are written as numbers, negative ones included.
 */

/** A cell: text (neutralised), a number, or empty. */
export type CsvValue = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function quoted(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One cell as it appears in the file. */
export function csvCell(value: CsvValue): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isFinite(value) ? String(value) : '';
  }
  return quoted(FORMULA_START.test(value) ? `'${value}` : value);
}

/** A whole file: the header, then one line per row, each ended by CRLF. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
