/**
 * Finds personal data in captured log lines. Written independently of src/common/mask.ts, and wider than
 * what it masks (a phone number with spaces or dashes counts too), so a gap in the masking shows up here.
 * Shared by the security test and the fault suite: keep `findPersonalData(lines)` stable.
 */

/** An international phone number: + and 7–15 more digits, single spaces or dashes allowed between them. */
const PHONE = /\+\d(?:[ -]?\d){6,14}/;
/** An e-mail address with its local part whole (a masked one, `j***@example.org`, does not match). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export interface LogScanOptions {
  /** Values that must not appear either, e.g. the names a test gave its passengers (no pattern finds a name). */
  alsoLookFor?: string[];
}

/** The lines that hold a phone number, an e-mail address or one of `alsoLookFor`; empty when clean. */
export function findPersonalData(lines: string[], options: LogScanOptions = {}): string[] {
  const literals = (options.alsoLookFor ?? []).filter((value) => value.length > 0);
  return lines.filter((line) => PHONE.test(line) || EMAIL.test(line) || literals.some((value) => line.includes(value)));
}

/** Splits captured output (chunks written to stdout/stderr) into non-empty lines. */
export function toLines(chunks: string[]): string[] {
  return chunks.join('').split('\n').filter((line) => line.length > 0);
}
