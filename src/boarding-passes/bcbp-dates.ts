import { BcbpInputError } from './bcbp-errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Day of the year (1 January = 1) of a YYYY-MM-DD date; rejects dates that do not exist. */
export function dayOfYear(date: string, field: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new BcbpInputError(`"${date}" is not a YYYY-MM-DD date`, field);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2026-02-30 over into March; a round trip catches that.
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new BcbpInputError(`"${date}" is not a calendar date`, field);
  }
  return (utc - Date.UTC(year, 0, 1)) / DAY_MS + 1;
}

/** Item 'Date of Flight': the day of the year, 3 digits. */
export function julianDate(date: string, field: string): string {
  return String(dayOfYear(date, field)).padStart(3, '0');
}

/** Item 'Date of Issue of Boarding Pass': last digit of the year, then the day of the year (YDDD). */
export function julianDateWithYear(date: string, field: string): string {
  return date.charAt(3) + julianDate(date, field);
}
