/**
 * What counts as personal data in a log line: an international phone number or an e-mail address. The
 * service masks both (`+31******321`, `l***@example.com`), so a match here is a leak.
 */
export const PERSONAL_DATA_PATTERNS: readonly RegExp[] = [/\+\d{8,15}/, /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/];

/** The lines that show a phone number or an e-mail address ([] when none does). */
export function findPersonalData(lines: string[]): string[] {
  return lines.filter((line) => PERSONAL_DATA_PATTERNS.some((pattern) => pattern.test(line)));
}
